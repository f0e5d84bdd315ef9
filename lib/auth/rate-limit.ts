import type { SignInLimit } from "@/db/sign-in-failures";
import type { Env } from "./oidc";

/**
 * Password sign-in rate limit: CONSOLE_SIGNIN_MAX_FAILURES (5) failed attempts for one username
 * within CONSOLE_SIGNIN_LOCK_MINUTES (15) lock that username for as many minutes; a successful
 * sign-in resets the count. Unknown usernames are counted and locked alike, so the lock says
 * nothing about whether an account exists.
 */
export function signInLimitFromEnv(env: Env = process.env): SignInLimit {
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const minutes = positive(env.CONSOLE_SIGNIN_LOCK_MINUTES, 15);
  return { maxFailures: positive(env.CONSOLE_SIGNIN_MAX_FAILURES, 5), windowMs: minutes * 60_000, lockMs: minutes * 60_000 };
}

/** The rate-limit key of a username, lower-cased: changing the case buys no more attempts. */
export function usernameKey(username: string): string {
  return `user:${username.trim().toLowerCase()}`;
}

/** Whole minutes until `until`, at least 1. */
export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
