import { applyOwned } from "../shared/owned-objects";
import type { KubeClients } from "../../lib/k8s/client";
import type { Reconciler } from "../../lib/k8s/controller";
import type { EventRecorder, EventTarget } from "../../lib/k8s/events";
import type { Informer } from "../../lib/k8s/informer";
import { applyBackupPolicy } from "../shared/backup";
import type { ChildApplier } from "../shared/child-applier";
import type { ManagedInformers } from "../shared/informers";
import { LABELS, PAAS_API_VERSION } from "../shared/labels";
import { podsByName, setOf } from "../shared/members";
import { restartMember, templateObserved } from "../shared/restart";
import { nextRestart } from "../shared/rollout";
import { writeStatus } from "../shared/status-writer";
import { reconcileStorageGrowth, soonest } from "../shared/storage-growth";
import { observeRedisMembers } from "./members";
import { desiredRedisObjects } from "./objects";
import { redisStatus } from "./status";
import { REDIS_APP } from "./topology";
import { REDIS_KIND, REDIS_PLURAL, type RedisCluster } from "./types";

/** Settings of the Redis operator; defaults in brackets. */
export interface RedisOptions {
  /** Image repository, tagged with the version [redis]. */
  image: string;
  /** A member not ready this long after its pod was created makes the cluster Degraded [300 s]. */
  startupGraceMs: number;
}

export interface RedisDeps {
  clients: KubeClients;
  redises: Informer<RedisCluster>;
  owned: ManagedInformers;
  applier: ChildApplier;
  events: EventRecorder;
  options: RedisOptions;
}

/**
 * RedisClusterReconciler: the same pass as Kafka's — apply the owned objects (ConfigMap, headless
 * and Sentinel Services, StatefulSets and budgets for servers and sentinels), put the backup policy
 * on running servers, restart at most one outdated member (sentinels first, then servers from the
 * highest ordinal), write the status. Scaling needs no step of its own: a new server asks Sentinel
 * for the master and replicates from it; a removed one simply goes (the API server refuses fewer
 * servers than min-replicas-to-write needs).
 */
export function redisReconciler(deps: RedisDeps): Reconciler {
  return async (req, { log }) => {
    const rc = deps.redises.get(req.name, req.namespace);
    if (!rc || rc.metadata.deletionTimestamp) return;
    const ns = rc.metadata.namespace;
    const desired = desiredRedisObjects(rc, deps.options.image);
    const growth = await reconcileStorageGrowth(deps, desired, ns, redisRef(rc), log);
    await applyOwned(deps.applier, deps.owned, desired, ns, growth.skip);

    const pods = deps.owned.pods
      .list(ns)
      .filter((p) => p.metadata?.labels?.[LABELS.name] === REDIS_APP && p.metadata?.labels?.[LABELS.instance] === rc.metadata.name);
    const members = observeRedisMembers(rc, desired.restartHashes, pods, (sts) => templateObserved(deps.owned.statefulSets.get(sts, ns), desired.restartHashes[sts]));
    const target = redisRef(rc);
    const servers = members.filter((m) => m.role === "server" && m.pod).map((m) => m.pod!);
    await applyBackupPolicy(deps.clients, deps.events, target, servers, rc.spec.backup, log);

    const roll = nextRestart(members);
    let waiting = false;
    if (roll.action === "restart") {
      const outcome = await restartMember(deps.clients, deps.owned.budgets, roll.member.pod!, setOf(roll.member), podsByName(members));
      waiting = outcome === "waiting";
      if (outcome === "restarting") {
        const old = roll.member.pod?.metadata?.labels?.[LABELS.version];
        const why = old && old !== rc.spec.version ? `upgrade from Redis ${old} to ${rc.spec.version}` : "new configuration";
        log.info({ member: roll.member.name, remaining: roll.remaining, why }, "restarting member");
        await deps.events.record(target, {
          type: "Normal",
          reason: "RestartingMember",
          message: `restarting ${roll.member.name} (${why}); one member at a time, sentinels first (${roll.remaining} awaiting a restart)`,
        });
      }
    }

    const previousPhase = rc.status?.phase;
    const status = redisStatus(rc, { members, roll, now: new Date(), startupGraceMs: deps.options.startupGraceMs, storage: growth.status });
    await writeStatus(deps.clients, REDIS_PLURAL, { ...rc, kind: REDIS_KIND }, status);
    if (status.phase === "Running" && previousPhase !== "Running") {
      await deps.events.record(target, {
        type: "Normal",
        reason: previousPhase === "Creating" || previousPhase === undefined ? "Created" : "Reconciled",
        message: `${status.readyReplicas} servers ready, Redis ${status.version}; Sentinel ${status.sentinel}, master name ${rc.metadata.name}`,
      });
    }
    const later = soonest(
      waiting ? 2000 : undefined,
      members.some((m) => m.present && !m.ready) ? Math.min(deps.options.startupGraceMs, 30_000) : undefined,
      growth.requeueAfterMs,
    );
    if (later !== undefined) return { requeueAfterMs: later };
  };
}

const redisRef = (rc: RedisCluster): EventTarget => ({ apiVersion: PAAS_API_VERSION, kind: REDIS_KIND, metadata: rc.metadata });
