import { ApiException } from "@kubernetes/client-node";
import { parseJsonOrUndefined } from "../json";

/** HTTP status of a failed API call, or undefined when the error did not come from the API server. */
export function apiStatus(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

export const isNotFound = (err: unknown): boolean => apiStatus(err) === 404;
export const isConflict = (err: unknown): boolean => apiStatus(err) === 409;

/**
 * The API server's own explanation (the `message` of its Status body), which is what a user should
 * read; falls back to the error's message.
 */
export function apiMessage(err: unknown): string {
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === "string" ? parseJsonOrUndefined(err.body) : err.body;
    if (body && typeof body === "object" && "message" in body && typeof body.message === "string") {
      return body.message;
    }
    return `HTTP ${err.code}`;
  }
  return err instanceof Error ? err.message : String(err);
}
