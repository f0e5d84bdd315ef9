import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listAudit, recordAudit } from "./audit";
import { openDatabase, type DatabaseHandle } from "./client";

// The same tests on both engines the product supports: embedded PGlite and a PostgreSQL server.
describe.each([
  { engine: "PGlite", config: () => ({ pgliteDir: "memory://" }) },
  { engine: "PostgreSQL", config: () => ({ url: inject("databaseUrl") }) },
])("audit log on $engine", ({ config }) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = openDatabase(config());
    await handle.db.execute(sql`drop table if exists audit_events cascade`);
    await handle.db.execute(sql`drop schema if exists drizzle cascade`);
    await handle.migrate();
  });
  afterAll(() => handle.close());

  it("applies migrations idempotently", async () => {
    await handle.migrate();
    // Both drivers (PGlite and node-postgres) answer raw SQL with a `rows` array.
    const applied = (await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
      rows: { n: number }[];
    };
    expect(applied.rows[0]?.n).toBe(1);
  });

  it("stores events and returns one object's history newest first", async () => {
    await recordAudit(handle.db, { actor: "alice", action: "request.create", target: "kafkacluster/team-a/orders", detail: { replicas: 3 } });
    await recordAudit(handle.db, { actor: "bob", action: "request.approve", target: "kafkacluster/team-a/orders" });
    await recordAudit(handle.db, { actor: "carol", action: "request.create", target: "rediscluster/team-b/cache" });

    const history = await listAudit(handle.db, { target: "kafkacluster/team-a/orders" });
    expect(history.map((e) => [e.actor, e.action])).toEqual([
      ["bob", "request.approve"],
      ["alice", "request.create"],
    ]);
    expect(history[1]?.detail).toEqual({ replicas: 3 });
    expect(history[0]?.at).toBeInstanceOf(Date);
    expect((await listAudit(handle.db)).length).toBe(3);
  });

  it("rejects an event without an actor and keeps what was stored", async () => {
    const before = (await listAudit(handle.db)).length;
    await expect(
      recordAudit(handle.db, { actor: null as unknown as string, action: "x", target: "y" }),
    ).rejects.toThrow();
    expect((await listAudit(handle.db)).length).toBe(before);
  });
});
