/** Sleeps `ms`, ending early when `signal` aborts; the abort listener is removed either way. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A loop's sleep that `wake()` cuts short, e.g. when new work arrived. A wake while awake is kept for the next sleep. */
export class Waker {
  private pending = false;
  private current: AbortController | undefined;

  wake(): void {
    this.pending = true;
    this.current?.abort();
  }

  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (this.pending || signal.aborted) {
      this.pending = false;
      return;
    }
    const local = new AbortController();
    this.current = local;
    const onAbort = () => local.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      await sleep(ms, local.signal);
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.current = undefined;
      this.pending = false;
    }
  }
}
