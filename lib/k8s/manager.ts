import http from "node:http";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { registry } from "../metrics";
import type { KubeClients } from "./client";
import type { Controller } from "./controller";
import { Informer, type InformerOptions } from "./informer";
import { runLeaderElected, type LeaderElectionOptions } from "./leader";

/** Something a component runs while it is active (a loop until `signal` aborts). */
export type Runnable = (signal: AbortSignal) => Promise<void>;

/** Manager options; defaults in brackets. */
export interface ManagerOptions {
  clients: KubeClients;
  log: Logger;
  /** Lease settings; without them every replica is active [no leader election]. */
  leaderElection?: Omit<LeaderElectionOptions, "identity"> & { identity?: string };
  /** Serve /metrics and /healthz on 127.0.0.1 or all interfaces at this port [none]. */
  metrics?: { port: number; host?: string };
}

/**
 * Runs one component: starts its informers and waits for their first lists, then (as leader when
 * leader election is configured) its controllers and runnables, until SIGTERM/SIGINT or `stop()`,
 * after which it lets in-flight reconciles finish, releases the lease and stops the informers.
 */
export class Manager {
  private readonly informers: Informer<KubernetesObject>[] = [];
  private readonly controllers: Controller[] = [];
  private readonly runnables: Runnable[] = [];
  private readonly stopping = new AbortController();

  constructor(private readonly opts: ManagerOptions) {}

  addInformer<T extends KubernetesObject>(informer: Informer<T>): Informer<T> {
    this.informers.push(informer as unknown as Informer<KubernetesObject>);
    return informer;
  }

  /** A cache of one collection on this manager's client, started and stopped with it. */
  watch<T extends KubernetesObject>(options: InformerOptions<T>): Informer<T> {
    return this.addInformer(new Informer<T>(this.opts.clients.kc, options, this.opts.log));
  }

  addController(controller: Controller): void {
    this.controllers.push(controller);
  }

  addRunnable(run: Runnable): void {
    this.runnables.push(run);
  }

  stop(): void {
    this.stopping.abort();
  }

  async run(): Promise<void> {
    const { log } = this.opts;
    const onSignal = () => this.stop();
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
    const server = this.opts.metrics ? await serveMetrics(this.opts.metrics.port, this.opts.metrics.host) : undefined;
    try {
      await Promise.all(this.informers.map((i) => i.start()));
      log.info({ informers: this.informers.length }, "caches synced");
      const active = (signal: AbortSignal) =>
        Promise.all([...this.controllers.map((c) => c.run(signal)), ...this.runnables.map((r) => r(signal))]).then(() => {});
      const le = this.opts.leaderElection;
      if (le) {
        const identity = le.identity ?? `${process.env.POD_NAME ?? process.env.HOSTNAME ?? "local"}-${process.pid}`;
        await runLeaderElected(this.opts.clients, { ...le, identity }, this.stopping.signal, log, async (leading) => {
          await active(leading);
          // Leadership lost while we were not asked to stop: exit so nothing runs without the lease.
          if (!this.stopping.signal.aborted) throw new Error("leadership lost");
        });
      } else {
        await active(this.stopping.signal);
      }
    } finally {
      for (const i of this.informers) i.stop();
      server?.close();
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      log.info("stopped");
    }
  }
}

/** Serves the process's metrics registry at /metrics and a liveness answer at /healthz. */
export function serveMetrics(port: number, host = "127.0.0.1"): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url === "/metrics") {
      registry
        .metrics()
        .then((body) => res.writeHead(200, { "Content-Type": registry.contentType }).end(body))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    } else if (req.url === "/healthz") {
      res.writeHead(200).end("ok");
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
