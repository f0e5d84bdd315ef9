import { describe, expect, it } from "vitest";
import { minutesUntil, signInLimitFromEnv, usernameKey } from "./rate-limit";
import { parseSignInError, tooManyAttemptsError } from "./sign-in-errors";

describe("sign-in rate limit settings", () => {
  it("defaults to 5 failures in 15 minutes locking for 15 minutes", () => {
    expect(signInLimitFromEnv({})).toEqual({ maxFailures: 5, windowMs: 900_000, lockMs: 900_000 });
  });

  it("reads CONSOLE_SIGNIN_MAX_FAILURES and CONSOLE_SIGNIN_LOCK_MINUTES and ignores nonsense", () => {
    expect(signInLimitFromEnv({ CONSOLE_SIGNIN_MAX_FAILURES: "3", CONSOLE_SIGNIN_LOCK_MINUTES: "2" })).toEqual({ maxFailures: 3, windowMs: 120_000, lockMs: 120_000 });
    expect(signInLimitFromEnv({ CONSOLE_SIGNIN_MAX_FAILURES: "0", CONSOLE_SIGNIN_LOCK_MINUTES: "soon" })).toEqual({ maxFailures: 5, windowMs: 900_000, lockMs: 900_000 });
  });

  it("keys usernames case-insensitively and rounds the wait up to whole minutes", () => {
    expect(usernameKey(" Li.Wei ")).toBe("user:li.wei");
    const now = new Date(0);
    expect(minutesUntil(new Date(14 * 60_000 + 1), now)).toBe(15);
    expect(minutesUntil(new Date(1_000), now)).toBe(1);
  });
});

describe("parseSignInError", () => {
  it.each([
    [tooManyAttemptsError(15), { kind: "tooMany", minutes: 15 }],
    ["AccessDenied", { kind: "denied" }],
    ["OAuthCallback", { kind: "provider" }],
    ["CredentialsSignin", { kind: "failed" }],
    ["TooManyAttempts:soon", { kind: "failed" }],
  ])("%s", (code, parsed) => expect(parseSignInError(code)).toEqual(parsed));
});
