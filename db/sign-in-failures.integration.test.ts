import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "./client";
import { clearSignInFailures, recordSignInFailure, signInFailureCount, signInLockedUntil } from "./sign-in-failures";
import { ENGINES, freshDatabase } from "./test-databases";

const MINUTE = 60_000;
const limit = { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE };
const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, 0) + minutes * MINUTE);

describe.each(ENGINES)("sign-in failures on %s", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = openDatabase(await freshDatabase(engine, inject("databaseUrl")));
    await handle.migrate();
  });
  afterAll(() => handle.close());

  it("locks a key at the fifth failure in the window, until the lock's end", async () => {
    const key = "user:li.wei";
    for (let i = 0; i < 4; i++) expect(await recordSignInFailure(handle.db, key, limit, at(i))).toBeUndefined();
    expect(await signInLockedUntil(handle.db, key, at(4))).toBeUndefined();
    expect(await recordSignInFailure(handle.db, key, limit, at(4))).toEqual(at(19));
    expect(await signInLockedUntil(handle.db, key, at(5))).toEqual(at(19));
    expect(await signInLockedUntil(handle.db, key, at(18.9))).toEqual(at(19));
    expect(await signInLockedUntil(handle.db, key, at(19))).toBeUndefined();
    // Other keys are not affected.
    expect(await signInLockedUntil(handle.db, "user:zhang.min", at(5))).toBeUndefined();
  });

  it("starts counting again when the window has passed", async () => {
    const key = "user:slow";
    for (let i = 0; i < 4; i++) await recordSignInFailure(handle.db, key, limit, at(i));
    expect(await signInFailureCount(handle.db, key)).toBe(4);
    expect(await recordSignInFailure(handle.db, key, limit, at(16))).toBeUndefined();
    expect(await signInFailureCount(handle.db, key)).toBe(1);
  });

  it("forgets a key's failures after a successful sign-in", async () => {
    const key = "user:forgetful";
    for (let i = 0; i < 5; i++) await recordSignInFailure(handle.db, key, limit, at(0));
    expect(await signInLockedUntil(handle.db, key, at(1))).toBeDefined();
    await clearSignInFailures(handle.db, key);
    expect(await signInLockedUntil(handle.db, key, at(1))).toBeUndefined();
    expect(await signInFailureCount(handle.db, key)).toBe(0);
  });

  it("counts every one of concurrent failures", async () => {
    const key = "user:burst";
    const results = await Promise.all(Array.from({ length: 12 }, () => recordSignInFailure(handle.db, key, limit, at(0))));
    expect(await signInFailureCount(handle.db, key)).toBe(12);
    // Exactly the failures from the fifth on see the lock.
    expect(results.filter((r) => r !== undefined)).toHaveLength(8);
  });
});
