import type { V1Lease, V1Node, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from "@kubernetes/client-node";
import { Gauge } from "prom-client";
import type { Logger } from "pino";
import type { KubeClients } from "../k8s/client";
import { Informer } from "../k8s/informer";
import type { Manager } from "../k8s/manager";
import { registry } from "../metrics";
import { listBackups } from "./api/client";
import { heartbeatExpiresAt } from "./api/heartbeat";
import { clusterPath, LABELS, PLURALS, PROVISIONER, SYSTEM_NAMESPACE, type XlssBackup, type XlssFailover, type XlssVolume } from "./api/types";
import { nextRun, parsePolicy, type Schedule } from "./backup/policy";
import { quantityBytes } from "./capacity";
import { incidentStart, isFinished } from "./guardian/failover-record";

// Cluster-wide gauges the alert rules of the Helm chart need, computed from the provisioner's caches
// when scraped (so every replica reports the cluster's state, never its own history, and a restart
// loses nothing). Each names the objects it is about; alerts take max by those labels.

export interface FleetMetricsDeps {
  manager: Manager;
  clients: KubeClients;
  log: Logger;
  volumes: Informer<XlssVolume>;
  failovers: Informer<XlssFailover>;
  pods: Informer<V1Pod>;
  claims: Informer<V1PersistentVolumeClaim>;
  classes: Informer<V1StorageClass>;
  nodes: Informer<V1Node>;
}

/** The longest gap between consecutive runs of a schedule (a cron's gaps differ: weekdays only, …). */
export function schedulePeriodSeconds(schedule: Schedule, from: Date = new Date()): number {
  if (schedule.kind === "interval") return schedule.ms / 1000;
  let last = nextRun(schedule, from, from);
  let longest = 0;
  // Two weeks of slots (at most 64) cover daily, weekday and weekly schedules.
  for (let i = 0; i < 64 && last.getTime() - from.getTime() < 14 * 86_400_000; i++) {
    const next = nextRun(schedule, last, last);
    longest = Math.max(longest, next.getTime() - last.getTime());
    last = next;
  }
  return longest / 1000;
}

/**
 * The claims an agent backs up and their schedule's period: the xlss-local claims of Running pods
 * whose backup policy is valid and enabled (the agent's rule, docs/backup.md).
 */
export function claimsUnderPolicy(
  pods: readonly V1Pod[],
  claimOf: (namespace: string, name: string) => V1PersistentVolumeClaim | undefined,
  isXlssClass: (name: string | undefined) => boolean,
  now: Date = new Date(),
): Map<string, { namespace: string; claim: string; periodSeconds: number; since: number }> {
  const out = new Map<string, { namespace: string; claim: string; periodSeconds: number; since: number }>();
  for (const pod of pods) {
    if (pod.status?.phase !== "Running" || pod.metadata?.deletionTimestamp) continue;
    const { policy } = parsePolicy(pod.metadata?.annotations);
    if (!policy?.enabled) continue;
    const namespace = pod.metadata?.namespace ?? "";
    const period = schedulePeriodSeconds(policy.schedule, now);
    for (const v of pod.spec?.volumes ?? []) {
      const name = v.persistentVolumeClaim?.claimName;
      const claim = name ? claimOf(namespace, name) : undefined;
      if (!name || !claim || !isXlssClass(claim.spec?.storageClassName)) continue;
      const created = claim.metadata?.creationTimestamp ? new Date(claim.metadata.creationTimestamp).getTime() / 1000 : now.getTime() / 1000;
      const key = `${namespace}/${name}`;
      const seen = out.get(key);
      // Two pods with different policies on one claim: the stricter schedule counts.
      out.set(key, { namespace, claim: name, periodSeconds: Math.min(seen?.periodSeconds ?? Infinity, period), since: created });
    }
  }
  return out;
}

/** Adds the informers the gauges need (backup records, agents' heartbeat leases) and the gauges. */
export function registerFleetMetrics(deps: FleetMetricsDeps): void {
  const { manager, clients, log } = deps;
  const backups = manager.addInformer(
    new Informer<XlssBackup>(clients.kc, { path: clusterPath(PLURALS.backup), list: (s) => listBackups(clients, s) }, log),
  );
  const agentLeases = manager.addInformer(
    new Informer<V1Lease>(
      clients.kc,
      {
        path: `/apis/coordination.k8s.io/v1/namespaces/${SYSTEM_NAMESPACE}/leases`,
        // Only the agents' heartbeats carry the node label.
        labelSelector: LABELS.node,
        list: (s) => clients.coordination.listNamespacedLease({ namespace: SYSTEM_NAMESPACE, ...s }),
      },
      log,
    ),
  );
  const xlssClass = (name: string | undefined) => deps.classes.get(name ?? "")?.provisioner === PROVISIONER;
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], collect: (g: Gauge<L>) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        collect(this);
      },
    });

  gauge("xlss_volume_capacity_bytes", "Size of each XlssVolume (its claim's request), to set usage against.", ["node", "volume", "namespace", "claim"], (g) => {
    for (const v of deps.volumes.list()) {
      const bytes = quantityBytes(v.spec.capacity);
      if (bytes === undefined) continue;
      g.set({ node: v.spec.nodeName, volume: v.metadata.name, namespace: v.spec.claimRef.namespace, claim: v.spec.claimRef.name }, bytes);
    }
  });

  gauge(
    "xlss_failover_open_seconds",
    "Age of each recovery not yet finished (XlssFailover not Completed/Failed): since its node went down.",
    ["namespace", "failover", "pod", "phase"],
    (g) => {
      const now = Date.now();
      for (const f of deps.failovers.list()) {
        if (isFinished(f)) continue;
        const start = Date.parse(incidentStart(f.status) ?? String(f.metadata.creationTimestamp ?? ""));
        if (Number.isNaN(start)) continue;
        g.set({ namespace: f.metadata.namespace, failover: f.metadata.name, pod: f.spec.podName, phase: f.status?.phase ?? "Rescheduling" }, (now - start) / 1000);
      }
    },
  );

  gauge("xlss_node_agent_up", "1 while the node agent's heartbeat Lease is fresh, 0 once it ran out (nodes where an agent ever ran).", ["node"], (g) => {
    const now = Date.now();
    for (const lease of agentLeases.list()) {
      const node = lease.metadata?.labels?.[LABELS.node];
      if (!node || !deps.nodes.get(node)) continue;
      g.set({ node }, heartbeatExpiresAt(lease) > now ? 1 : 0);
    }
  });

  const underPolicy = () => claimsUnderPolicy(deps.pods.list(), (ns, name) => deps.claims.get(name, ns), xlssClass);
  gauge(
    "xlss_backup_policy_period_seconds",
    "Longest gap between two scheduled backups of a claim under a backup policy (xlss-local claims of Running pods).",
    ["namespace", "claim"],
    (g) => {
      for (const c of underPolicy().values()) g.set({ namespace: c.namespace, claim: c.claim }, c.periodSeconds);
    },
  );
  gauge(
    "xlss_backup_newest_timestamp_seconds",
    "When the newest completed backup of a claim finished (Unix time, from XlssBackup records); for a claim under a policy with none yet, when the claim was created.",
    ["namespace", "claim"],
    (g) => {
      const newest = new Map<string, number>();
      for (const b of backups.list()) {
        if (b.status?.phase !== "Completed" || !b.status.completionTime) continue;
        const key = `${b.metadata.namespace}/${b.spec.claimName}`;
        newest.set(key, Math.max(newest.get(key) ?? 0, Date.parse(b.status.completionTime) / 1000));
      }
      for (const [key, at] of newest) {
        const [namespace, claim] = key.split("/") as [string, string];
        g.set({ namespace, claim }, at);
      }
      for (const c of underPolicy().values()) {
        if (!newest.has(`${c.namespace}/${c.claim}`)) g.set({ namespace: c.namespace, claim: c.claim }, c.since);
      }
    },
  );
}
