import type { PostgresCluster } from "./types";

/** The label value of PostgreSQL objects (app.kubernetes.io/name). */
export const POSTGRES_APP = "postgres";

export const POSTGRES_PORT = 5432;

/** Database roles the operator creates: the superuser (initdb's) and the one replicas stream as. */
export const SUPERUSER = "postgres";
export const REPLICATION_USER = "replicator";

/** Where the data volume, the generated configuration (ConfigMap) and a writable folder (emptyDir) are mounted. */
export const DATA_MOUNT = "/var/lib/postgresql/data";
/** The data directory: a folder of the volume, since initdb wants an empty directory it owns. */
export const PGDATA = `${DATA_MOUNT}/pgdata`;
export const CONFIG_MOUNT = "/opt/xlss/config";
export const WORK_MOUNT = "/opt/xlss/work";
/** The postgres image's socket folder (owned by its postgres user); backup hooks connect through it. */
export const SOCKET_DIR = "/var/run/postgresql";

/**
 * The two StatefulSets of a cluster: the primary (one pod, ordinal 0) and the streaming replicas.
 * Two sets, not one, so that each Service selects its pods by template labels (no pod relabelling
 * by the operator) and the restart order — replicas, then the primary — is the sets' order.
 */
export type PostgresRole = "primary" | "replica";

export function postgresNames(name: string) {
  return {
    headless: `${name}-headless`,
    /** The read-write Service, and the primary's StatefulSet and budget. */
    primary: `${name}-primary`,
    /** The read-only Service. */
    replicas: `${name}-replicas`,
    /** The replicas' StatefulSet and budget. */
    replicaSet: `${name}-replica`,
    config: `${name}-config`,
    credentials: `${name}-credentials`,
  };
}

/** Keys of the credentials Secret. */
export const CREDENTIAL_KEYS = {
  superuserPassword: "superuser-password",
  replicationPassword: "replication-password",
} as const;

/** The stable DNS name of a pod through the headless Service. */
export const podHost = (pg: PostgresCluster, pod: string): string => `${pod}.${postgresNames(pg.metadata.name).headless}.${pg.metadata.namespace}.svc`;

/** The endpoints clients connect to. */
export function postgresEndpoints(pg: PostgresCluster): { primary: string; readOnly: string } {
  const names = postgresNames(pg.metadata.name);
  return {
    primary: `${names.primary}.${pg.metadata.namespace}.svc:${POSTGRES_PORT}`,
    readOnly: `${names.replicas}.${pg.metadata.namespace}.svc:${POSTGRES_PORT}`,
  };
}
