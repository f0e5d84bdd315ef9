import { hash, verify } from "@node-rs/argon2";

/** Shortest password a local account may have; long passphrases beat composition rules. */
export const MIN_PASSWORD_LENGTH = 12;

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "the password must not contain the username";
  return undefined;
}

/**
 * argon2id with OWASP's recommended minimum (19 MiB memory, 2 iterations, 1 lane), which is
 * @node-rs/argon2's default; the parameters travel in the encoded hash, so raising them later
 * still verifies old hashes.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** True when `password` matches `encoded`; a malformed hash counts as no match. */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  try {
    return await verify(encoded, password);
  } catch {
    return false;
  }
}

// A fixed hash to verify against when the user does not exist, so that "no such user" and "wrong
// password" take the same time and usernames cannot be probed by timing.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("not-a-real-password-just-for-timing");
  return dummyHash;
}
