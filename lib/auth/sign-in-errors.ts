// What the sign-in page says about a failed sign-in, from next-auth's `error` code (the `error` query
// parameter, or `signIn()`'s result). Shared by the page (server) and the form (browser).

/** The error an `authorize` throws for a locked username: `TooManyAttempts:<minutes>`. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";

export type SignInError =
  /** Too many failed attempts: refused for `minutes` more. */
  | { kind: "tooMany"; minutes: number }
  /** The identity provider's user is not allowed here (OIDC group mapping). */
  | { kind: "denied" }
  /** The identity provider could not be reached or answered wrongly. */
  | { kind: "provider" }
  /** Wrong username or password, or a disabled account. */
  | { kind: "failed" };

export function tooManyAttemptsError(minutes: number): string {
  return `${TOO_MANY_ATTEMPTS}:${minutes}`;
}

export function parseSignInError(code: string): SignInError {
  const tooMany = new RegExp(`^${TOO_MANY_ATTEMPTS}:(\\d+)$`).exec(code);
  if (tooMany) return { kind: "tooMany", minutes: Number(tooMany[1]) };
  if (code === "AccessDenied") return { kind: "denied" };
  // next-auth v4's codes for a provider that failed during the redirect or the callback.
  if (["OAuthSignin", "OAuthCallback", "OAuthCreateAccount", "Callback", "OAuthAccountNotLinked"].includes(code)) return { kind: "provider" };
  return { kind: "failed" };
}
