/**
 * A time as a Kubernetes MicroTime (RFC 3339 with six fractional digits), for Lease fields.
 * client-node 1.4 sends a Date in MicroTime fields with millisecond precision, which the API server
 * rejects; it passes a string through untouched, hence the string typed as the Date it expects.
 */
export function microTime(at: Date = new Date()): Date {
  return at.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z") as unknown as Date;
}

/**
 * An object's timestamp as ISO 8601 text for the browser. Typed Date by client-node, it is a string
 * in objects that came through a watch, hence both.
 */
export function isoTimestamp(t: Date | string | undefined): string | undefined {
  return t ? new Date(t).toISOString() : undefined;
}
