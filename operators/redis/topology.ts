import type { RedisCluster } from "./types";

/** The label value of Redis objects (app.kubernetes.io/name). */
export const REDIS_APP = "redis";

export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;

/** Where the data volume, the generated configuration (ConfigMap) and a writable folder (emptyDir) are mounted. */
export const DATA_MOUNT = "/data";
export const CONFIG_MOUNT = "/opt/xlss/config";
export const WORK_MOUNT = "/opt/xlss/work";

/** The two StatefulSets of a cluster: the Redis servers (one of them the master) and the sentinels. */
export type RedisRole = "server" | "sentinel";

export function redisNames(name: string) {
  return {
    headless: `${name}-headless`,
    /** The client Service of the sentinels (also their StatefulSet and budget). */
    sentinels: `${name}-sentinel`,
    servers: `${name}-redis`,
    config: `${name}-config`,
  };
}

/** The stable DNS name of a pod through the headless Service. */
export const podHost = (rc: RedisCluster, pod: string): string => `${pod}.${redisNames(rc.metadata.name).headless}.${rc.metadata.namespace}.svc`;

/** The Sentinel endpoint clients connect to. */
export const sentinelEndpoint = (rc: RedisCluster): string => `${redisNames(rc.metadata.name).sentinels}.${rc.metadata.namespace}.svc:${SENTINEL_PORT}`;

/** Sentinels that must agree a master is down before a failover: a majority. */
export const sentinelQuorum = (sentinels: number): number => Math.floor(sentinels / 2) + 1;
