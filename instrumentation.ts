// Runs once when the console's server starts (lib/console/startup.ts): the database schema must be
// current before any request touches it, and an administrator must exist to sign in with.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startConsole } = await import("./lib/console/startup");
  await startConsole();
}
