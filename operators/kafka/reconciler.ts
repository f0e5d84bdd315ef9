import { applyOwned } from "../shared/owned-objects";
import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeClients } from "../../lib/k8s/client";
import type { Reconciler, Result } from "../../lib/k8s/controller";
import type { EventRecorder, EventTarget } from "../../lib/k8s/events";
import type { Informer } from "../../lib/k8s/informer";
import { isPodReady } from "../../lib/k8s/pods";
import { applyBackupPolicy } from "../shared/backup";
import type { ChildApplier } from "../shared/child-applier";
import type { ManagedInformers } from "../shared/informers";
import { podsByName, setOf, type Member } from "../shared/members";
import { LABELS, PAAS_API_VERSION } from "../shared/labels";
import { restartMember, templateObserved } from "../shared/restart";
import { nextRestart } from "../shared/rollout";
import { writeStatus } from "../shared/status-writer";
import { reconcileStorageGrowth, soonest } from "../shared/storage-growth";
import { observeMembers } from "./members";
import { clusterIdOf, desiredObjects, type KafkaPlan } from "./objects";
import { scaleInRefusal } from "./scale";
import { kafkaStatus } from "./status";
import { KAFKA_APP, kafkaNames } from "./topology";
import { KAFKA_KIND, KAFKA_PLURAL, KAFKA_VERSIONS, type KafkaCluster, type KafkaVersion } from "./types";

/** Settings of the Kafka operator; defaults in brackets. */
export interface KafkaOptions {
  /** Image repository, tagged with the version [apache/kafka]. */
  image: string;
  /** A member not ready this long after its pod was created makes the cluster Degraded [300 s]. */
  startupGraceMs: number;
}

export interface KafkaDeps {
  clients: KubeClients;
  kafkas: Informer<KafkaCluster>;
  owned: ManagedInformers;
  applier: ChildApplier;
  events: EventRecorder;
  options: KafkaOptions;
}

/** While a restart is refused by a disruption budget, or a member is still starting, look again this soon. */
const RETRY_MS = 2000;

/**
 * KafkaClusterReconciler: one pass from what the caches show to the cluster the spec asks for —
 * apply the owned objects (ConfigMap, headless and client Services, a StatefulSet and a
 * PodDisruptionBudget per role), annotate running pods with the backup policy, restart at most one
 * outdated member (through the Eviction API, so budgets hold), and write the status. Every decision
 * is derived from observed state, so a pass interrupted anywhere is finished by the next one.
 * Deletion needs nothing from it: every owned object carries an owner reference, and the
 * StatefulSets' claim retention policy decides what happens to the volumes.
 */
export function kafkaReconciler(deps: KafkaDeps): Reconciler {
  return async (req, { log }) => {
    const kc = deps.kafkas.get(req.name, req.namespace);
    if (!kc || kc.metadata.deletionTimestamp) return;
    const names = kafkaNames(kc.metadata.name);
    const ns = kc.metadata.namespace;
    const pods = deps.owned.pods
      .list(ns)
      .filter((p) => p.metadata?.labels?.[LABELS.name] === KAFKA_APP && p.metadata?.labels?.[LABELS.instance] === kc.metadata.name);
    const brokerSet = deps.owned.statefulSets.get(names.brokers, ns);
    // While the broker StatefulSet is re-created for larger volumes (shared/storage-growth.ts), its
    // running pods say what it was: their count, and the newest version they run (a template is
    // never older than its pods).
    const brokerPods = pods.filter((p) => p.metadata?.name?.startsWith(`${names.brokers}-`));
    const podVersions = brokerPods.map((p) => p.metadata?.labels?.[LABELS.version] as KafkaVersion | undefined).filter((v): v is KafkaVersion => v !== undefined && KAFKA_VERSIONS.includes(v));
    const newestPodVersion = podVersions.sort((a, b) => KAFKA_VERSIONS.indexOf(b) - KAFKA_VERSIONS.indexOf(a))[0];
    const brokerTemplateVersion = (brokerSet?.spec?.template?.metadata?.labels?.[LABELS.version] as KafkaVersion | undefined) ?? newestPodVersion;

    // Scale-in is refused below the replication the brokers run with; they keep their count then.
    const currentBrokers = brokerSet?.spec?.replicas ?? (brokerPods.length || kc.spec.replicas);
    const inEffect = kc.status?.replication ?? kc.spec.replication;
    const scaleInRefused = scaleInRefusal(currentBrokers, kc.spec.replicas, inEffect, kc.spec.replication);
    const plan: KafkaPlan = {
      brokerReplicas: scaleInRefused ? currentBrokers : kc.spec.replicas,
      versions: { controller: kc.spec.version, broker: brokerVersion(kc, brokerTemplateVersion, pods) },
      image: deps.options.image,
    };
    const desired = desiredObjects(kc, plan);

    const growth = await reconcileStorageGrowth(deps, desired, ns, kafkaRef(kc), log);
    await applyOwned(deps.applier, deps.owned, desired, ns, growth.skip);

    const members = observeMembers(kc, plan, desired.restartHashes, pods, (sts) =>
      templateObserved(deps.owned.statefulSets.get(sts, ns), desired.restartHashes[sts]),
    );
    await applyBackupPolicy(deps.clients, deps.events, kafkaRef(kc), members.flatMap((m) => (m.pod ? [m.pod] : [])), kc.spec.backup, log);
    const roll = nextRestart(members);
    let result: Result | undefined;
    if (roll.action === "restart") result = await restart(deps, kc, roll.member, roll.remaining, plan, members, log);

    const previousPhase = kc.status?.phase;
    const status = kafkaStatus(kc, {
      plan,
      members,
      roll,
      scaleInRefused,
      clusterId: clusterIdOf(kc),
      now: new Date(),
      startupGraceMs: deps.options.startupGraceMs,
      storage: growth.status,
    });
    await writeStatus(deps.clients, KAFKA_PLURAL, { ...kc, kind: KAFKA_KIND }, status);

    const target = kafkaRef(kc);
    if (scaleInRefused) await deps.events.record(target, { type: "Warning", reason: "ScaleInRefused", message: scaleInRefused });
    if (status.phase === "Running" && previousPhase !== "Running") {
      await deps.events.record(target, {
        type: "Normal",
        reason: previousPhase === "Creating" || previousPhase === undefined ? "Created" : "Reconciled",
        message: `${status.readyReplicas} brokers ready, Kafka ${status.version}; bootstrap ${status.bootstrapServers}`,
      });
    }
    // Nothing changes by itself while a member starts, so look again to tell slow from stuck.
    const later = soonest(
      result?.requeueAfterMs,
      members.some((m) => m.present && !m.ready) ? Math.min(deps.options.startupGraceMs, 30_000) : undefined,
      growth.requeueAfterMs,
    );
    if (later !== undefined) return { requeueAfterMs: later };
    if (result) return result;
  };
}

/**
 * The version brokers should run. In Separate mode brokers move to a new version only once every
 * controller runs it and is ready (Kafka's upgrade order); until then they keep the version of
 * their StatefulSet's template (`current`), so a broker that restarts for another reason keeps its version too.
 */
function brokerVersion(kc: KafkaCluster, current: KafkaVersion | undefined, pods: readonly V1Pod[]): KafkaVersion {
  if (kc.spec.controllers.mode === "Combined" || !current || current === kc.spec.version) return kc.spec.version;
  const controllerPrefix = `${kafkaNames(kc.metadata.name).controllers}-`;
  const controllers = pods.filter((p) => p.metadata?.name?.startsWith(controllerPrefix));
  const upgraded =
    controllers.length === kc.spec.controllers.replicas &&
    controllers.every((p) => p.metadata?.labels?.[LABELS.version] === kc.spec.version && isPodReady(p));
  return upgraded ? kc.spec.version : current;
}

/** Restarts one member (see restartMember) and says why in an Event. */
async function restart(deps: KafkaDeps, kc: KafkaCluster, member: Member, remaining: number, plan: KafkaPlan, members: Member[], log: Logger): Promise<Result | undefined> {
  const pod = member.pod!;
  const outcome = await restartMember(deps.clients, deps.owned.budgets, pod, setOf(member), podsByName(members));
  if (outcome === "waiting") {
    log.info({ member: member.name }, "restart waits for the disruption budget");
    return { requeueAfterMs: RETRY_MS };
  }
  if (outcome === "restarting") {
    const oldVersion = pod.metadata?.labels?.[LABELS.version];
    const newVersion = member.role === "controller" ? plan.versions.controller : plan.versions.broker;
    const why = oldVersion && oldVersion !== newVersion ? `upgrade from Kafka ${oldVersion} to ${newVersion}` : "new configuration";
    log.info({ member: member.name, remaining, why }, "restarting member");
    await deps.events.record(kafkaRef(kc), {
      type: "Normal",
      reason: "RestartingMember",
      message: `restarting ${member.name} (${why}); one member at a time, controllers first (${remaining} awaiting a restart)`,
    });
  }
  return undefined;
}

const kafkaRef = (kc: KafkaCluster): EventTarget => ({ apiVersion: PAAS_API_VERSION, kind: KAFKA_KIND, metadata: kc.metadata });
