import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";
import type { Logger } from "pino";
import { waitFor } from "./wait";

/** Lists one page of the watched collection; the informer passes the selectors it was given. */
export type ListFn<T extends KubernetesObject> = (selectors: {
  labelSelector?: string;
  fieldSelector?: string;
}) => Promise<KubernetesListObject<T>>;

/** What an informer watches. */
export interface InformerOptions<T extends KubernetesObject> {
  /** Watch path, e.g. `/api/v1/pods` or `/apis/storage.xlss.io/v1alpha1/xlssvolumes`. */
  path: string;
  list: ListFn<T>;
  /** Server-side filters applied to both list and watch, to keep the cache to what matters. */
  labelSelector?: string;
  fieldSelector?: string;
}

type Handler<T> = (obj: T) => void;

/**
 * A list-and-watch cache of one collection (client-node's ListWatch) that never gives up: the
 * client stops on a watch error, so this restarts it with a 1 s → 30 s backoff, relisting from
 * scratch (a resourceVersion that is too old, 410, already forces a relist inside the client).
 */
export class Informer<T extends KubernetesObject> {
  private readonly lw: ListWatch<T>;
  private readonly handlers: { add: Handler<T>[]; update: Handler<T>[]; delete: Handler<T>[] } = {
    add: [],
    update: [],
    delete: [],
  };
  private stopped = false;
  private backoffMs = 1000;

  constructor(
    kc: KubeConfig,
    private readonly opts: InformerOptions<T>,
    private readonly log: Logger,
  ) {
    const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    this.lw = new ListWatch<T>(opts.path, new Watch(kc), () => opts.list(selectors), false, opts.labelSelector, opts.fieldSelector);
    for (const verb of ["add", "update", "delete"] as const) {
      this.lw.on(verb, (obj) => {
        this.backoffMs = 1000;
        for (const h of this.handlers[verb]) h(obj);
      });
    }
    this.lw.on("error", (err: unknown) => this.restart(err));
  }

  on(verb: "add" | "update" | "delete", handler: Handler<T>): void {
    this.handlers[verb].push(handler);
  }

  /** Starts listing and watching; resolves once the first list is in the cache. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.stopped = false;
    void this.lw.start().catch((err: unknown) => this.restart(err));
    await waitFor(() => Promise.resolve(this.lw.latestResourceVersion() !== ""), {
      what: `first list of ${this.opts.path}`,
      timeoutMs,
      intervalMs: 50,
    });
  }

  stop(): void {
    this.stopped = true;
    void this.lw.stop();
  }

  get(name: string, namespace?: string): T | undefined {
    return this.lw.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.lw.list(namespace);
  }

  private restart(err: unknown): void {
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    this.log.warn({ path: this.opts.path, err: err instanceof Error ? err.message : String(err), retryInMs: delay }, "watch failed; restarting");
    setTimeout(() => {
      if (!this.stopped) void this.lw.start().catch((e: unknown) => this.restart(e));
    }, delay).unref();
  }
}
