import { eq } from "drizzle-orm";
import type { Database } from "./client";
import { consoleSettings } from "./schema";

/**
 * The stored value of `key`, creating it with `make()` when missing. Concurrent first calls (two
 * console replicas starting) agree on one value: the insert does nothing on conflict and every
 * caller reads back what was stored.
 */
export async function settingOrCreate(db: Database, key: string, make: () => string): Promise<string> {
  await db.insert(consoleSettings).values({ key, value: make() }).onConflictDoNothing();
  const [row] = await db.select().from(consoleSettings).where(eq(consoleSettings.key, key));
  if (!row) throw new Error(`setting ${key} vanished`);
  return row.value;
}
