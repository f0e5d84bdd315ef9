import { clusterConditions, oldestVersion } from "../shared/cluster-status";
import type { StorageGrowthStatus } from "../shared/storage-growth";
import { LABELS } from "../shared/labels";
import { memberStatus, type Member } from "../shared/members";
import type { RollStep } from "../shared/rollout";
import type { KafkaPlan } from "./objects";
import { KAFKA_APP, kafkaNames } from "./topology";
import { KAFKA_VERSIONS, type KafkaCluster, type KafkaClusterStatus, type KafkaEndpoint } from "./types";

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
  /** Volumes growing or failing to (shared/storage-growth.ts). */
  storage?: StorageGrowthStatus;
}

/**
 * The status of a KafkaCluster from what was observed: members with their nodes and zones, the
 * client endpoints, the replication in effect, and the conditions and phase (clusterConditions;
 * a refused scale-in is Progressing=False with reason ScaleInRefused).
 */
export function kafkaStatus(kc: KafkaCluster, obs: KafkaObservation): KafkaClusterStatus {
  const previous = kc.status;
  const { members } = obs;
  const brokers = members.filter((m) => m.role !== "controller");
  const controllers = members.filter((m) => m.role !== "broker");
  const readyCount = (list: Member[]) => `${list.filter((m) => m.ready).length}/${list.length}`;
  const { version, upgrading } = oldestVersion(members, KAFKA_VERSIONS, kc.spec.version);
  const { conditions, phase } = clusterConditions({
    previous,
    generation: kc.metadata.generation,
    members,
    roll: obs.roll,
    readiness:
      kc.spec.controllers.mode === "Combined"
        ? `${readyCount(brokers)} brokers ready (the first ${controllers.length} also controllers)`
        : `${readyCount(brokers)} brokers and ${readyCount(controllers)} controllers ready`,
    change: { what: upgrading ? `upgrading to Kafka ${kc.spec.version}` : "applying a new configuration", upgrading, order: "controllers first" },
    refused: obs.scaleInRefused ? { reason: "ScaleInRefused", message: obs.scaleInRefused } : undefined,
    now: obs.now,
    startupGraceMs: obs.startupGraceMs,
    storage: obs.storage,
  });
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
    observedGeneration: kc.metadata.generation,
    conditions,
    clusterId: obs.clusterId,
    ...(version ? { version } : {}),
    replicas: brokers.filter((m) => m.present).length,
    readyReplicas: brokers.filter((m) => m.ready).length,
    selector: `${LABELS.name}=${KAFKA_APP},${LABELS.instance}=${kc.metadata.name},${LABELS.component}=broker`,
    bootstrapServers: endpoints[0]?.bootstrapServers ?? "",
    endpoints,
    members: members.map(memberStatus),
    replication: brokersCurrent || !previous?.replication ? kc.spec.replication : previous.replication,
  };
}
