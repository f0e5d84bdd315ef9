import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema";

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** One schema, one dialect: a PGlite and a PostgreSQL server database look the same to callers. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  /** `pglite` (embedded, the default) or `postgres` (a server, from `DATABASE_URL`). */
  kind: "pglite" | "postgres";
  /** Applies every checked-in migration not yet applied; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where the database is. `url` (`postgres://…`) selects a PostgreSQL server; otherwise PGlite keeps
 * its files in `pgliteDir`, or in memory when that is `memory://`.
 */
export interface DatabaseConfig {
  url?: string;
  pgliteDir?: string;
}

/** Reads `DATABASE_URL`, else `PGLITE_DATA_DIR` (default `.data/pglite` under the working directory). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  if (env.DATABASE_URL) {
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      throw new Error("DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use the embedded PGlite)");
    }
    return { url: env.DATABASE_URL };
  }
  return { pgliteDir: env.PGLITE_DATA_DIR ?? path.join(process.cwd(), ".data", "pglite") };
}

export function openDatabase(config: DatabaseConfig): DatabaseHandle {
  if (config.url) {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    const db = drizzlePg(pool, { schema });
    return {
      db,
      kind: "postgres",
      migrate: () => migratePg(db, { migrationsFolder: MIGRATIONS }),
      close: () => pool.end(),
    };
  }
  const dir = config.pgliteDir ?? "memory://";
  if (dir !== "memory://") fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir);
  const db = drizzlePglite(client, { schema });
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS }),
    close: () => client.close(),
  };
}
