import { clusterConditions, oldestVersion } from "../shared/cluster-status";
import type { StorageGrowthStatus } from "../shared/storage-growth";
import { LABELS } from "../shared/labels";
import { memberStatus, type Member } from "../shared/members";
import type { RollStep } from "../shared/rollout";
import { REDIS_APP, sentinelEndpoint } from "./topology";
import { REDIS_VERSIONS, type RedisCluster, type RedisClusterStatus } from "./types";

/** What the status is computed from, besides the resource itself. */
export interface RedisObservation {
  members: Member[];
  roll: RollStep;
  now: Date;
  startupGraceMs: number;
  /** Volumes growing or failing to (shared/storage-growth.ts). */
  storage?: StorageGrowthStatus;
}

/** The status of a RedisCluster: members with their nodes, the Sentinel endpoint, conditions and phase. */
export function redisStatus(rc: RedisCluster, obs: RedisObservation): RedisClusterStatus {
  const servers = obs.members.filter((m) => m.role === "server");
  const sentinels = obs.members.filter((m) => m.role === "sentinel");
  const readyCount = (list: Member[]) => `${list.filter((m) => m.ready).length}/${list.length}`;
  const { version, upgrading } = oldestVersion(obs.members, REDIS_VERSIONS, rc.spec.version);
  const { conditions, phase } = clusterConditions({
    previous: rc.status,
    generation: rc.metadata.generation,
    members: obs.members,
    roll: obs.roll,
    readiness: `${readyCount(servers)} servers and ${readyCount(sentinels)} sentinels ready`,
    change: { what: upgrading ? `upgrading to Redis ${rc.spec.version}` : "applying a new configuration", upgrading, order: "sentinels first, the first server last" },
    now: obs.now,
    startupGraceMs: obs.startupGraceMs,
    storage: obs.storage,
  });
  const sentinel = sentinelEndpoint(rc);
  return {
    phase,
    observedGeneration: rc.metadata.generation,
    conditions,
    ...(version ? { version } : {}),
    replicas: servers.filter((m) => m.present).length,
    readyReplicas: servers.filter((m) => m.ready).length,
    selector: `${LABELS.name}=${REDIS_APP},${LABELS.instance}=${rc.metadata.name},${LABELS.component}=server`,
    sentinel,
    endpoints: { sentinel, masterName: rc.metadata.name },
    members: obs.members.map(memberStatus),
  };
}
