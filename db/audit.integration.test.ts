import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listAudit, recordAudit } from "./audit";
import { openDatabase, type DatabaseHandle } from "./client";
import journal from "./migrations/meta/_journal.json";
import { ENGINES, freshDatabase } from "./test-databases";

// The same tests on both engines the product supports: embedded PGlite and a PostgreSQL server.
describe.each(ENGINES)("audit log on %s", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = openDatabase(await freshDatabase(engine, inject("databaseUrl")));
    await handle.migrate();
  });
  afterAll(() => handle.close());

  it("applies migrations idempotently", async () => {
    await handle.migrate();
    // Both drivers (PGlite and node-postgres) answer raw SQL with a `rows` array.
    const applied = (await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as {
      rows: { n: number }[];
    };
    expect(applied.rows[0]?.n).toBe(journal.entries.length);
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
