import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DatabaseConfig } from "./client";

// For database tests: every test file gets its own empty database on each engine, so files never
// see each other's rows or migrations.

/** The two engines every database test runs on. */
export const ENGINES = ["PGlite", "PostgreSQL"] as const;
export type Engine = (typeof ENGINES)[number];

/** A fresh database: PGlite in memory, or a new database on the test run's PostgreSQL server. */
export async function freshDatabase(engine: Engine, serverUrl: string): Promise<DatabaseConfig> {
  if (engine === "PGlite") return { pgliteDir: "memory://" };
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString() };
}
