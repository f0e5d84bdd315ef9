// Runs once when the console's server starts: the database schema must be current before any
// request touches it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { consoleDatabase } = await import("./db/console");
  const { log } = await import("./lib/log");
  const handle = consoleDatabase();
  await handle.migrate();
  log.info({ database: handle.kind }, "database migrations applied");
}
