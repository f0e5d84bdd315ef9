/** JSON.parse for text that may not be JSON (API error bodies, tool output lines): undefined instead of a throw. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
