import { eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { signInFailures } from "./schema";

/** When a key is refused: `maxFailures` failures within `windowMs` lock it for `lockMs`. */
export interface SignInLimit {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Until when `key` is refused, or undefined when it may try now. */
export async function signInLockedUntil(db: Database, key: string, now: Date): Promise<Date | undefined> {
  const [row] = await db.select({ lockedUntil: signInFailures.lockedUntil }).from(signInFailures).where(eq(signInFailures.key, key));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : undefined;
}

/**
 * Counts one failed sign-in of `key` and returns until when the key is now locked (undefined while
 * under the limit). One upsert statement, so concurrent failures (several console replicas, one
 * database) are each counted: the row lock of ON CONFLICT DO UPDATE serialises them. A window older
 * than `windowMs` starts again at one failure.
 */
export async function recordSignInFailure(db: Database, key: string, limit: SignInLimit, now: Date): Promise<Date | undefined> {
  const windowStartedBefore = new Date(now.getTime() - limit.windowMs);
  const lockUntil = new Date(now.getTime() + limit.lockMs);
  const expired = sql`${signInFailures.windowStart} <= ${windowStartedBefore}`;
  const failures = sql`case when ${expired} then 1 else ${signInFailures.failures} + 1 end`;
  const [row] = await db
    .insert(signInFailures)
    .values({ key, failures: 1, windowStart: now, lockedUntil: limit.maxFailures <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: signInFailures.key,
      set: {
        failures,
        windowStart: sql`case when ${expired} then ${now} else ${signInFailures.windowStart} end`,
        lockedUntil: sql`case when ${failures} >= ${limit.maxFailures} then ${lockUntil} else ${signInFailures.lockedUntil} end`,
      },
    })
    .returning({ lockedUntil: signInFailures.lockedUntil });
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : undefined;
}

/** Forgets `key`'s failures (after a successful sign-in). */
export async function clearSignInFailures(db: Database, key: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.key, key));
}

/** The failures counted for `key` in its current window (for tests and the admin CLI). */
export async function signInFailureCount(db: Database, key: string): Promise<number> {
  const [row] = await db.select({ failures: signInFailures.failures }).from(signInFailures).where(eq(signInFailures.key, key));
  return row?.failures ?? 0;
}
