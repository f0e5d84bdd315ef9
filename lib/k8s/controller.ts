import { randomUUID } from "node:crypto";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram } from "prom-client";
import { registry } from "../metrics";
import { apiMessage } from "./errors";
import type { Informer } from "./informer";
import { WorkQueue, type RateLimit } from "./queue";

/** The object a reconcile is about. Cluster-scoped objects have no namespace. */
export interface Request {
  namespace?: string;
  name: string;
}

/** What a reconcile asks for next: nothing (done until the next event), or another look later. */
export interface Result {
  requeueAfterMs?: number;
}

/** Context handed to each reconcile: a logger carrying controller, object and reconcile id. */
export interface ReconcileContext {
  log: Logger;
  signal: AbortSignal;
}

/**
 * The reconcile contract (controller-runtime's): read the world afresh, move it one step towards
 * the desired state, return. Throwing retries the request with per-key backoff; throwing a
 * TerminalError logs it and does not retry (until the next event).
 */
export type Reconciler = (req: Request, ctx: ReconcileContext) => Promise<Result | void>;

/** An error that retrying cannot fix (e.g. an invalid spec); the object's status should say why. */
export class TerminalError extends Error {
  override name = "TerminalError";
}

/** Controller options; defaults in brackets. */
export interface ControllerOptions {
  /** Names the controller in logs and metrics. */
  name: string;
  reconcile: Reconciler;
  /** Requests reconciled at once [1]. A key is never reconciled twice concurrently. */
  concurrency?: number;
  /** Retry backoff per key [250 ms doubling to 60 s]. */
  rateLimit?: RateLimit;
  log: Logger;
}

const reconciles = new Counter({
  name: "xlss_controller_reconcile_total",
  help: "Reconciles by controller and result (success, requeue, error, terminal_error).",
  labelNames: ["controller", "result"] as const,
  registers: [registry],
});
const durations = new Histogram({
  name: "xlss_controller_reconcile_duration_seconds",
  help: "Time spent in one reconcile.",
  labelNames: ["controller"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
const depth = new Gauge({
  name: "xlss_controller_queue_depth",
  help: "Requests waiting in a controller's work queue.",
  labelNames: ["controller"] as const,
  registers: [registry],
});

export const requestKey = (req: Request): string => (req.namespace ? `${req.namespace}/${req.name}` : req.name);

function parseKey(key: string): Request {
  const i = key.indexOf("/");
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export const requestFor = (obj: KubernetesObject): Request => ({
  namespace: obj.metadata?.namespace,
  name: obj.metadata?.name ?? "",
});

/** A work queue fed by informers, drained by `concurrency` workers calling the reconciler. */
export class Controller {
  readonly name: string;
  private readonly queue: WorkQueue;
  private readonly opts: ControllerOptions;

  constructor(opts: ControllerOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.queue = new WorkQueue(opts.rateLimit);
  }

  /** Reconciles each object of `informer` itself on every add, update and delete. */
  for<T extends KubernetesObject>(informer: Informer<T>): this {
    return this.watches(informer, (obj) => [requestFor(obj)]);
  }

  /** Reconciles the requests `map` derives from each changed object of `informer` (owners, claims, …). */
  watches<T extends KubernetesObject>(informer: Informer<T>, map: (obj: T) => Request[]): this {
    const handler = (obj: T) => {
      for (const req of map(obj)) this.enqueue(req);
    };
    informer.on("add", handler);
    informer.on("update", handler);
    informer.on("delete", handler);
    return this;
  }

  enqueue(req: Request, afterMs = 0): void {
    this.queue.addAfter(requestKey(req), afterMs);
    depth.set({ controller: this.name }, this.queue.length);
  }

  /** Runs the workers until `signal` aborts; resolves when they have finished their current work. */
  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener("abort", () => this.queue.shutDown(), { once: true });
    const workers = Array.from({ length: this.opts.concurrency ?? 1 }, () => this.work(signal));
    await Promise.all(workers);
  }

  private async work(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      depth.set({ controller: this.name }, this.queue.length);
      if (key === undefined) return;
      await this.reconcileOne(key, signal);
      this.queue.done(key);
    }
  }

  private async reconcileOne(key: string, signal: AbortSignal): Promise<void> {
    const req = parseKey(key);
    const log = this.opts.log.child({ controller: this.name, object: key, reconcileID: randomUUID() });
    const end = durations.startTimer({ controller: this.name });
    try {
      const result = await this.opts.reconcile(req, { log, signal });
      this.queue.forget(key);
      if (result?.requeueAfterMs !== undefined) {
        this.queue.addAfter(key, result.requeueAfterMs);
        reconciles.inc({ controller: this.name, result: "requeue" });
      } else {
        reconciles.inc({ controller: this.name, result: "success" });
      }
    } catch (err) {
      if (err instanceof TerminalError) {
        this.queue.forget(key);
        reconciles.inc({ controller: this.name, result: "terminal_error" });
        log.error({ err: err.message }, "reconcile failed; not retrying");
      } else {
        const retryInMs = this.queue.addRateLimited(key);
        reconciles.inc({ controller: this.name, result: "error" });
        // The API server's own message, not the client's dump of the whole HTTP exchange.
        log.warn({ err: apiMessage(err), retryInMs }, "reconcile failed; retrying");
      }
    } finally {
      end();
    }
  }
}
