import { clusterConditions, oldestVersion } from "../shared/cluster-status";
import type { StorageGrowthStatus } from "../shared/storage-growth";
import { LABELS } from "../shared/labels";
import { memberStatus, type Member } from "../shared/members";
import type { RollStep } from "../shared/rollout";
import { POSTGRES_APP, postgresEndpoints, postgresNames } from "./topology";
import { POSTGRES_VERSIONS, type PostgresCluster, type PostgresClusterStatus } from "./types";

/** What the status is computed from, besides the resource itself. */
export interface PostgresObservation {
  members: Member[];
  roll: RollStep;
  now: Date;
  startupGraceMs: number;
  /** Volumes growing or failing to (shared/storage-growth.ts). */
  storage?: StorageGrowthStatus;
}

/** The status of a PostgresCluster: members with their nodes, the endpoints, the credentials Secret's name, conditions and phase. */
export function postgresStatus(pg: PostgresCluster, obs: PostgresObservation): PostgresClusterStatus {
  const replicas = obs.members.filter((m) => m.role === "replica");
  const primary = obs.members.filter((m) => m.role === "primary");
  const readyCount = (list: Member[]) => `${list.filter((m) => m.ready).length}/${list.length}`;
  const { version, upgrading } = oldestVersion(obs.members, POSTGRES_VERSIONS, pg.spec.version);
  const { conditions, phase } = clusterConditions({
    previous: pg.status,
    generation: pg.metadata.generation,
    members: obs.members,
    roll: obs.roll,
    readiness: `${readyCount(primary)} primary and ${readyCount(replicas)} replicas ready`,
    change: { what: upgrading ? `updating to PostgreSQL ${pg.spec.version}` : "applying a new configuration", upgrading, order: "replicas first, the primary last" },
    now: obs.now,
    startupGraceMs: obs.startupGraceMs,
    storage: obs.storage,
  });
  const endpoints = postgresEndpoints(pg);
  return {
    phase,
    observedGeneration: pg.metadata.generation,
    conditions,
    ...(version ? { version } : {}),
    replicas: obs.members.filter((m) => m.present).length,
    readyReplicas: obs.members.filter((m) => m.ready).length,
    selector: `${LABELS.name}=${POSTGRES_APP},${LABELS.instance}=${pg.metadata.name}`,
    primary: endpoints.primary,
    endpoints,
    credentialsSecret: postgresNames(pg.metadata.name).credentials,
    members: obs.members.map(memberStatus),
  };
}
