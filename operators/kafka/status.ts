import { setCondition, type Condition } from "../../lib/k8s/conditions";
import { LABELS } from "../shared/labels";
import type { RollStep } from "../shared/rollout";
import { memberStatus, type Member } from "./members";
import type { KafkaPlan } from "./objects";
import { KAFKA_APP, kafkaNames } from "./topology";
import { KAFKA_VERSIONS, type KafkaCluster, type KafkaClusterStatus, type KafkaEndpoint, type KafkaPhase } from "./types";

/** What the status is computed from, besides the resource itself. */
export interface KafkaObservation {
  plan: KafkaPlan;
  members: Member[];
  roll: RollStep;
  /** Why a requested scale-in is not carried out, if it is not. */
  scaleInRefused?: string;
  clusterId: string;
  now: Date;
  /** A member not ready for longer than this since its pod was created makes the cluster Degraded. */
  startupGraceMs: number;
}

/**
 * The status of a KafkaCluster from what was observed: members with their nodes and zones, the
 * client endpoints, and the three conditions —
 * Ready: every member is ready;
 * Progressing: the operator is moving the cluster towards its spec (creating, scaling, restarting
 * members in order), or False with ScaleInRefused when it will not;
 * Degraded: a member has been down longer than a start takes.
 * The phase sums them up: Creating until first Ready, then Running, Updating or Degraded.
 */
export function kafkaStatus(kc: KafkaCluster, obs: KafkaObservation): KafkaClusterStatus {
  const previous = kc.status;
  const generation = kc.metadata.generation;
  const { members, roll } = obs;
  const brokers = members.filter((m) => m.role !== "controller");
  const controllers = members.filter((m) => m.role !== "broker");
  const allReady = members.every((m) => m.ready);
  const stuck = members.filter(
    (m) => m.present && !m.ready && obs.now.getTime() - new Date(m.pod?.metadata?.creationTimestamp ?? obs.now).getTime() > obs.startupGraceMs,
  );
  const versions = [...new Set(members.map((m) => m.version).filter((v): v is string => v !== undefined))];
  const oldest = versions.sort((a, b) => KAFKA_VERSIONS.indexOf(a as never) - KAFKA_VERSIONS.indexOf(b as never))[0];
  const upgrading = versions.length > 1 || (oldest !== undefined && oldest !== kc.spec.version);

  let conditions: Condition[] = previous?.conditions ?? [];
  const set = (type: string, status: Condition["status"], reason: string, message: string) => {
    conditions = setCondition(conditions, { type, status, reason, message }, generation, obs.now);
  };
  const readyCount = (list: Member[]) => `${list.filter((m) => m.ready).length}/${list.length}`;
  const readiness =
    kc.spec.controllers.mode === "Combined"
      ? `${readyCount(brokers)} brokers ready (the first ${controllers.length} also controllers)`
      : `${readyCount(brokers)} brokers and ${readyCount(controllers)} controllers ready`;
  set("Ready", allReady ? "True" : "False", allReady ? "AllMembersReady" : "MembersNotReady", readiness);

  const wasCreating = previous?.phase === undefined || previous.phase === "Creating";
  if (obs.scaleInRefused) {
    set("Progressing", "False", "ScaleInRefused", obs.scaleInRefused);
  } else if (roll.action !== "none") {
    const what = upgrading ? `upgrading to Kafka ${kc.spec.version}` : "applying a new configuration";
    const detail = roll.action === "restart" ? `restarting ${roll.member.name}` : `waiting: ${roll.reason}`;
    set("Progressing", "True", upgrading ? "Upgrading" : "RollingRestart", `${what}, one member at a time (controllers first): ${roll.remaining} left; ${detail}`);
  } else if (!allReady) {
    const reason = wasCreating ? "Creating" : brokers.some((m) => !m.present || !m.ready) ? "MembersStarting" : "ControllersStarting";
    set("Progressing", "True", reason, readiness);
  } else {
    set("Progressing", "False", "Reconciled", `the cluster matches generation ${generation ?? 0}`);
  }
  set(
    "Degraded",
    stuck.length ? "True" : "False",
    stuck.length ? "MembersDown" : "AsExpected",
    stuck.length
      ? `not ready for more than ${Math.round(obs.startupGraceMs / 1000)} s: ${stuck.map((m) => `${m.name}${m.node ? ` on ${m.node}` : " (unscheduled)"}`).join(", ")}`
      : "",
  );

  const phase: KafkaPhase = stuck.length
    ? "Degraded"
    : allReady && roll.action === "none"
      ? "Running"
      : !allReady && wasCreating
        ? "Creating"
        : "Updating";
  const names = kafkaNames(kc.metadata.name);
  const endpoints: KafkaEndpoint[] = kc.spec.listeners.map((l) => ({
    listener: l.name,
    bootstrapServers: `${names.bootstrap}.${kc.metadata.namespace}.svc:${l.port}`,
    tls: l.tls !== undefined,
  }));
  // The replication settings take effect once every broker has restarted with them, but not while
  // a scale-in is refused: else lowering both at once would only delay the scale-in until the
  // roll ends, leaving no time to move partitions. Withdrawing the scale-in lets them take effect.
  const brokersCurrent = brokers.every((m) => m.present && m.upToDate) && !obs.scaleInRefused;
  return {
    phase,
    observedGeneration: generation,
    conditions,
    clusterId: obs.clusterId,
    ...(oldest ? { version: oldest } : {}),
    replicas: brokers.filter((m) => m.present).length,
    readyReplicas: brokers.filter((m) => m.ready).length,
    selector: `${LABELS.name}=${KAFKA_APP},${LABELS.instance}=${kc.metadata.name},${LABELS.component}=broker`,
    bootstrapServers: endpoints[0]?.bootstrapServers ?? "",
    endpoints,
    members: members.map(memberStatus),
    replication: brokersCurrent || !previous?.replication ? kc.spec.replication : previous.replication,
  };
}
