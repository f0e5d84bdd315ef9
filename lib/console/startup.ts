import path from "node:path";
import { consoleDatabase } from "@/db/console";
import { unappliedApprovals } from "@/db/requests";
import { bootstrapAdmin } from "@/lib/auth/admin";
import { log } from "@/lib/log";
import { applyRequest } from "./requests";

/**
 * What the console does once at start, before serving: bring the database schema up to date and
 * make sure an administrator exists (CONSOLE_DATA_DIR, default `.data`, receives the generated
 * first password when none was configured), and finish applying requests approved just before the
 * console last stopped (server-side apply is idempotent, so applying again is safe).
 */
export async function startConsole(): Promise<void> {
  const handle = consoleDatabase();
  await handle.migrate();
  log.info({ database: handle.kind }, "database migrations applied");
  const dataDir = process.env.CONSOLE_DATA_DIR ?? path.join(process.cwd(), ".data");
  const admin = await bootstrapAdmin(handle.db, process.env, dataDir);
  if (admin.created) {
    log.info(
      { username: admin.username, passwordFile: admin.passwordFile },
      admin.passwordFile ? "first administrator created; its password is in the file named here" : "first administrator created from CONSOLE_ADMIN_USERNAME/CONSOLE_ADMIN_PASSWORD",
    );
  }
  try {
    for (const request of await unappliedApprovals(handle.db)) {
      const done = await applyRequest(request, "console (resumed after restart)");
      log.info({ request: request.id, status: done.status }, "approved request applied after restart");
    }
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "could not resume approved requests; they stay approved until the next start");
  }
}
