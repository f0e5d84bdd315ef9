import type { KubeClients } from "../../lib/k8s/client";
import type { Reconciler } from "../../lib/k8s/controller";
import type { EventRecorder, EventTarget } from "../../lib/k8s/events";
import type { Informer } from "../../lib/k8s/informer";
import { applyBackupPolicy } from "../shared/backup";
import type { ChildApplier } from "../shared/child-applier";
import type { ManagedInformers } from "../shared/informers";
import { LABELS, PAAS_API_VERSION } from "../shared/labels";
import { podsByName, setOf } from "../shared/members";
import { applyOwned } from "../shared/owned-objects";
import { restartMember, templateObserved } from "../shared/restart";
import { nextRestart } from "../shared/rollout";
import { writeStatus } from "../shared/status-writer";
import { reconcileStorageGrowth, soonest } from "../shared/storage-growth";
import { CredentialsKeeper } from "./credentials";
import { observePostgresMembers } from "./members";
import { desiredPostgresObjects } from "./objects";
import { postgresStatus } from "./status";
import { POSTGRES_APP, postgresNames } from "./topology";
import { POSTGRES_KIND, POSTGRES_PLURAL, type PostgresCluster } from "./types";

/** Settings of the PostgreSQL operator; defaults in brackets. */
export interface PostgresOptions {
  /** Image repository, tagged with the version [postgres]. */
  image: string;
  /** A member not ready this long after its pod was created makes the cluster Degraded [300 s]. */
  startupGraceMs: number;
}

export interface PostgresDeps {
  clients: KubeClients;
  postgreses: Informer<PostgresCluster>;
  owned: ManagedInformers;
  applier: ChildApplier;
  events: EventRecorder;
  options: PostgresOptions;
}

/**
 * PostgresClusterReconciler: the same pass as the other kinds' — make sure the credentials Secret
 * exists (before the pods that read it), apply the owned objects (ConfigMap, headless, primary and
 * read-only Services, StatefulSets and budgets for the primary and the replicas), put the backup
 * policy on running servers, restart at most one outdated member (replicas from the highest
 * ordinal, the primary last), write the status. Scaling needs no step of its own: a new replica
 * clones the primary and streams from it; a removed one simply goes.
 */
export function postgresReconciler(deps: PostgresDeps): Reconciler {
  const credentials = new CredentialsKeeper(deps.clients);
  return async (req, { log }) => {
    const pg = deps.postgreses.get(req.name, req.namespace);
    if (!pg || pg.metadata.deletionTimestamp) {
      credentials.forget(req.namespace ?? "", req.name);
      return;
    }
    const ns = pg.metadata.namespace;
    const target = postgresRef(pg);
    const desired = desiredPostgresObjects(pg, deps.options.image);
    const pods = deps.owned.pods
      .list(ns)
      .filter((p) => p.metadata?.labels?.[LABELS.name] === POSTGRES_APP && p.metadata?.labels?.[LABELS.instance] === pg.metadata.name);
    const members = observePostgresMembers(pg, desired.restartHashes, pods, (sts) => templateObserved(deps.owned.statefulSets.get(sts, ns), desired.restartHashes[sts]));

    if (await credentials.ensure(pg, members.some((m) => m.present && !m.ready))) {
      // The passwords are not logged, nor put in the Event: only where they are.
      const secret = postgresNames(pg.metadata.name).credentials;
      log.info({ secret }, "credentials secret created");
      await deps.events.record(target, { type: "Normal", reason: "CredentialsCreated", message: `generated the superuser and replication passwords into Secret ${secret}` });
    }
    const growth = await reconcileStorageGrowth(deps, desired, ns, target, log);
    await applyOwned(deps.applier, deps.owned, desired, ns, growth.skip);
    const servers = members.filter((m) => m.pod).map((m) => m.pod!);
    await applyBackupPolicy(deps.clients, deps.events, target, servers, pg.spec.backup, log);

    const roll = nextRestart(members);
    let waiting = false;
    if (roll.action === "restart") {
      const outcome = await restartMember(deps.clients, deps.owned.budgets, roll.member.pod!, setOf(roll.member), podsByName(members));
      waiting = outcome === "waiting";
      if (outcome === "restarting") {
        const old = roll.member.pod?.metadata?.labels?.[LABELS.version];
        const why = old && old !== pg.spec.version ? `update from PostgreSQL ${old} to ${pg.spec.version}` : "new configuration";
        log.info({ member: roll.member.name, remaining: roll.remaining, why }, "restarting member");
        await deps.events.record(target, {
          type: "Normal",
          reason: "RestartingMember",
          message: `restarting ${roll.member.name} (${why}); one member at a time, replicas first, the primary last (${roll.remaining} awaiting a restart)`,
        });
      }
    }

    const previousPhase = pg.status?.phase;
    const status = postgresStatus(pg, { members, roll, now: new Date(), startupGraceMs: deps.options.startupGraceMs, storage: growth.status });
    await writeStatus(deps.clients, POSTGRES_PLURAL, { ...pg, kind: POSTGRES_KIND }, status);
    if (status.phase === "Running" && previousPhase !== "Running") {
      await deps.events.record(target, {
        type: "Normal",
        reason: previousPhase === "Creating" || previousPhase === undefined ? "Created" : "Reconciled",
        message: `${status.readyReplicas} servers ready, PostgreSQL ${status.version}; primary ${status.endpoints?.primary}, read-only ${status.endpoints?.readOnly}`,
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

const postgresRef = (pg: PostgresCluster): EventTarget => ({ apiVersion: PAAS_API_VERSION, kind: POSTGRES_KIND, metadata: pg.metadata });
