/** Options for {@link waitFor}. */
export interface WaitOptions {
  /** Give up after this long. Default 60 s. */
  timeoutMs?: number;
  /** Pause between checks. Default 250 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout error ("pod web-0 Running"). */
  what: string;
}

/**
 * Polls `check` until it returns a value other than undefined/false and returns that value. Errors
 * thrown by `check` count as "not yet"; the last one is reported if the wait times out.
 */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
      throw new Error(`timed out after ${opts.timeoutMs ?? 60_000} ms waiting for ${opts.what}${why}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}
