// `npm run db:migrate`: applies the checked-in migrations to the database the environment names
// (DATABASE_URL, else PGLITE_DATA_DIR, else .data/pglite).
import { databaseConfigFromEnv, openDatabase } from "./client";

const handle = openDatabase(databaseConfigFromEnv());
try {
  await handle.migrate();
  console.log(`migrations applied (${handle.kind})`);
} finally {
  await handle.close();
}
