import type { V1Lease } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeClients } from "./client";
import { isConflict, isNotFound } from "./errors";
import { sleep } from "./sleep";
import { microTime } from "./time";

/** Leader election settings; defaults in brackets (client-go's, scaled down for fast failover). */
export interface LeaderElectionOptions {
  namespace: string;
  /** Lease object name, one per component. */
  name: string;
  /** This replica's identity (pod name or host + pid). */
  identity: string;
  /** How long a lease stays valid without renewal [15 s]. */
  leaseDurationSeconds?: number;
  /** How often the holder renews, and others retry [2 s]. */
  retryPeriodMs?: number;
  /** A holder that cannot renew for this long steps down [10 s]. */
  renewDeadlineMs?: number;
}


/**
 * Leader election on a coordination.k8s.io Lease: optimistic-concurrency updates, so two replicas
 * can never both believe they lead. Blocks until this replica leads, then runs `lead` with a signal
 * that aborts when leadership is lost (renewals failing past the deadline) or `signal` aborts. On a
 * clean stop the lease is released so a standby takes over at once instead of after it expires.
 */
export async function runLeaderElected(
  clients: KubeClients,
  opts: LeaderElectionOptions,
  signal: AbortSignal,
  log: Logger,
  lead: (leading: AbortSignal) => Promise<void>,
): Promise<void> {
  const duration = opts.leaseDurationSeconds ?? 15;
  const retry = opts.retryPeriodMs ?? 2000;
  const deadline = opts.renewDeadlineMs ?? 10_000;
  const elog = log.child({ lease: `${opts.namespace}/${opts.name}`, identity: opts.identity });

  while (!signal.aborted && !(await tryAcquireOrRenew(clients, opts, duration, elog))) await sleep(retry, signal);
  if (signal.aborted) return;
  elog.info("became leader");

  const leading = new AbortController();
  signal.addEventListener("abort", () => leading.abort(), { once: true });
  const renewLoop = (async () => {
    let lastRenew = Date.now();
    while (!leading.signal.aborted) {
      await sleep(retry, leading.signal);
      if (leading.signal.aborted) break;
      if (await tryAcquireOrRenew(clients, opts, duration, elog)) lastRenew = Date.now();
      else if (Date.now() - lastRenew > deadline) {
        elog.error("lost leadership: could not renew the lease in time");
        leading.abort();
      }
    }
  })();
  try {
    await lead(leading.signal);
  } finally {
    leading.abort();
    await renewLoop;
    await release(clients, opts, elog);
  }
}

async function tryAcquireOrRenew(
  clients: KubeClients,
  opts: LeaderElectionOptions,
  duration: number,
  log: Logger,
): Promise<boolean> {
  const now = microTime();
  let lease: V1Lease;
  try {
    lease = await clients.coordination.readNamespacedLease({ name: opts.name, namespace: opts.namespace });
  } catch (err) {
    if (!isNotFound(err)) return failed(log, err);
    try {
      await clients.coordination.createNamespacedLease({
        namespace: opts.namespace,
        body: {
          metadata: { name: opts.name, namespace: opts.namespace },
          spec: { holderIdentity: opts.identity, leaseDurationSeconds: duration, acquireTime: now, renewTime: now, leaseTransitions: 0 },
        },
      });
      return true;
    } catch (e) {
      return isConflict(e) ? false : failed(log, e);
    }
  }
  const spec = lease.spec ?? {};
  const holder = spec.holderIdentity;
  const renewedAt = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
  const expired = renewedAt + (spec.leaseDurationSeconds ?? duration) * 1000 < Date.now();
  if (holder && holder !== opts.identity && !expired) return false;
  const takingOver = holder !== opts.identity;
  lease.spec = {
    ...spec,
    holderIdentity: opts.identity,
    leaseDurationSeconds: duration,
    renewTime: now,
    ...(takingOver ? { acquireTime: now, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 } : {}),
  };
  try {
    await clients.coordination.replaceNamespacedLease({ name: opts.name, namespace: opts.namespace, body: lease });
    return true;
  } catch (err) {
    return isConflict(err) ? false : failed(log, err);
  }
}

async function release(clients: KubeClients, opts: LeaderElectionOptions, log: Logger): Promise<void> {
  try {
    const lease = await clients.coordination.readNamespacedLease({ name: opts.name, namespace: opts.namespace });
    if (lease.spec?.holderIdentity !== opts.identity) return;
    lease.spec = { ...lease.spec, holderIdentity: undefined, leaseDurationSeconds: 1, renewTime: microTime() };
    await clients.coordination.replaceNamespacedLease({ name: opts.name, namespace: opts.namespace, body: lease });
    log.info("released leadership");
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "could not release the lease; it expires on its own");
  }
}

function failed(log: Logger, err: unknown): false {
  log.warn({ err: err instanceof Error ? err.message : String(err) }, "lease request failed");
  return false;
}
