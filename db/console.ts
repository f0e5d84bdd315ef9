import { databaseConfigFromEnv, openDatabase, type DatabaseHandle } from "./client";

const globalForDb = globalThis as unknown as { xlssConsoleDb?: DatabaseHandle };

/**
 * The console process's one database handle, opened from the environment on first use. Kept on
 * globalThis so development hot reloads reuse it: PGlite must have a single owner of its data folder.
 */
export function consoleDatabase(): DatabaseHandle {
  globalForDb.xlssConsoleDb ??= openDatabase(databaseConfigFromEnv());
  return globalForDb.xlssConsoleDb;
}
