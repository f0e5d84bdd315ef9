/** Error codes the console's HTTP API answers with, and their HTTP status. */
export const API_ERRORS = {
  unauthenticated: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "invalid-input": 422,
  "bad-origin": 403,
  "upstream-error": 502,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

/**
 * An error meant for the user, with a code the transport layer turns into an HTTP status; only
 * route wrappers (lib/auth/guard.ts) convert it.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return API_ERRORS[this.code];
  }
}
