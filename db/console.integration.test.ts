import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { addTeam, addUser, AdminInputError, bootstrapAdmin } from "@/lib/auth/admin";
import { loadPrincipal, canSeeNamespace } from "@/lib/auth/principal";
import { verifyPassword } from "@/lib/auth/password";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "./client";
import { addComment, createRequest, decideRequest, listComments, listRequests, recordApplyResult, unappliedApprovals } from "./requests";
import { settingOrCreate } from "./settings";
import { ENGINES, freshDatabase } from "./test-databases";
import { findUserByUsername, listTeams } from "./users";

// Users, teams, tenancy and the request state machine on both engines.
describe.each(ENGINES)("console data on %s", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = openDatabase(await freshDatabase(engine, inject("databaseUrl")));
    await handle.migrate();
  });
  afterAll(() => handle.close());

  it("creates users with argon2id hashes and refuses weak passwords and duplicates", async () => {
    const user = await addUser(handle.db, "test", { username: "alice", password: "correct horse battery", role: "member", teams: ["team-a"] });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash ?? "", "correct horse battery")).toBe(true);
    expect(await verifyPassword(user.passwordHash ?? "", "wrong")).toBe(false);
    await expect(addUser(handle.db, "test", { username: "bob", password: "short", role: "member" })).rejects.toThrow(AdminInputError);
    await expect(addUser(handle.db, "test", { username: "alice", password: "another long password", role: "member" })).rejects.toThrow(/exists/);
  });

  it("gives members only their teams' namespaces and approvers every namespace", async () => {
    await addTeam(handle.db, "test", { name: "team-a", namespaces: ["team-a", "team-a-dev"] });
    await addTeam(handle.db, "test", { name: "team-b", namespaces: ["team-b"] });
    await addUser(handle.db, "test", { username: "victor", password: "approver password 1", role: "approver" });
    await expect(addTeam(handle.db, "test", { name: "team-b", namespaces: ["team-a"] })).rejects.toThrow(/belongs to another team/);

    const alice = await loadPrincipal(handle.db, (await findUserByUsername(handle.db, "alice"))!.id);
    expect(alice?.teams).toEqual([{ team: "team-a", namespaces: ["team-a", "team-a-dev"] }]);
    expect(canSeeNamespace(alice!, "team-a-dev")).toBe(true);
    expect(canSeeNamespace(alice!, "team-b")).toBe(false);
    const victor = await loadPrincipal(handle.db, (await findUserByUsername(handle.db, "victor"))!.id);
    expect(canSeeNamespace(victor!, "team-b")).toBe(true);
    expect((await listTeams(handle.db)).map((t) => [t.name, t.members])).toEqual([
      ["team-a", ["alice"]],
      ["team-b", []],
    ]);
  });

  it("bootstraps one administrator with a generated password in a private file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-admin-"));
    const first = await bootstrapAdmin(handle.db, {}, dir);
    expect(first.created).toBe(true);
    const file = path.join(dir, "initial-admin-password");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const admin = await findUserByUsername(handle.db, "admin");
    expect(await verifyPassword(admin!.passwordHash!, fs.readFileSync(file, "utf8").trim())).toBe(true);
    expect(await bootstrapAdmin(handle.db, {}, dir)).toEqual({ created: false });
    fs.rmSync(dir, { recursive: true });
  });

  it("lets exactly one of many concurrent approvals win", async () => {
    const req = await createRequest(handle.db, {
      kind: "KafkaCluster",
      namespace: "team-a",
      name: "orders",
      action: "create",
      manifest: { spec: { replicas: 3 } },
      requestedBy: "alice",
      comment: "for the orders service",
    });
    expect(req.status).toBe("pending");
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => decideRequest(handle.db, req.id, { approve: i % 2 === 0, by: `approver-${i}`, comment: `decision ${i}` })),
    );
    const winners = outcomes.filter((o) => o.outcome === "decided");
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === "not-pending")).toHaveLength(5);
    const comments = await listComments(handle.db, req.id);
    expect(comments.map((c) => c.author)).toEqual(["alice", winners[0]!.outcome === "decided" ? winners[0]!.request.decidedBy : ""]);
  });

  it("records apply results only for approved requests and finds unapplied approvals", async () => {
    const req = await createRequest(handle.db, { kind: "KafkaCluster", namespace: "team-b", name: "logs", action: "create", manifest: {}, requestedBy: "bob" });
    expect(await recordApplyResult(handle.db, req.id, { ok: true })).toBeUndefined();
    await decideRequest(handle.db, req.id, { approve: true, by: "victor" });
    expect((await unappliedApprovals(handle.db)).map((r) => r.id)).toContain(req.id);
    const failed = await recordApplyResult(handle.db, req.id, { ok: false, error: "admission webhook said no" });
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toBe("admission webhook said no");
    await addComment(handle.db, req.id, "bob", "why?");
    expect((await listRequests(handle.db, { namespaces: ["team-b"] })).map((r) => r.name)).toEqual(["logs"]);
    expect(await listRequests(handle.db, { namespaces: [] })).toEqual([]);
  });

  it("agrees on one generated setting under concurrent first use", async () => {
    const values = await Promise.all(Array.from({ length: 4 }, (_, i) => settingOrCreate(handle.db, "secret", () => `value-${i}`)));
    expect(new Set(values).size).toBe(1);
  });
});
