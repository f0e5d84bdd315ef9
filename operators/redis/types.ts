import type { KubernetesObject, V1ObjectMeta } from "@kubernetes/client-node";
import type { Condition } from "../../lib/k8s/conditions";
import type { BackupSpec, ClaimRetention, ComputeResources, MemberStatus } from "../shared/types";

// TypeScript shapes of paas.xlss.io/v1alpha1 RedisCluster as the operator reads it (fields with a
// schema default are required). charts/xlss/crds/paas.xlss.io_redisclusters.yaml holds the schema;
// crd.test.ts keeps the two in step.

export const REDIS_KIND = "RedisCluster";
export const REDIS_PLURAL = "redisclusters";

/** Redis releases the operator knows how to run, oldest first (upgrades go forward in this list). */
export const REDIS_VERSIONS = ["7.2.4", "7.4.2", "8.0.0", "8.2.0", "8.4.0"] as const;
export type RedisVersion = (typeof REDIS_VERSIONS)[number];
export const DEFAULT_REDIS_VERSION: RedisVersion = "7.4.2";

export interface RedisSentinelSpec {
  /** Sentinels watching the master: 3 or 5 (a majority agrees on a failover). */
  replicas: number;
  /** A master silent this long is considered down. */
  downAfterMilliseconds: number;
  failoverTimeoutMilliseconds: number;
  resources: ComputeResources;
}

export interface RedisStorage {
  size: string;
  class: string;
  claimRetention: ClaimRetention;
}

/** A value in `spec.config`: YAML numbers stay numbers, everything else (yes/no too) is text. */
export type RedisSettingValue = string | number;

export interface RedisClusterSpec {
  version: RedisVersion;
  /** Redis servers: one master and replicas-1 replicas (the scale subresource's replicas). */
  replicas: number;
  sentinel: RedisSentinelSpec;
  config: Record<string, RedisSettingValue>;
  resources: ComputeResources;
  storage: RedisStorage;
  backup?: BackupSpec;
  /** Spread the servers (and sentinels) over zones. */
  spreadOverZones: boolean;
}

export type RedisPhase = "Creating" | "Running" | "Updating" | "Degraded";

export interface RedisEndpoints {
  /** `host:port` of the Sentinel Service: what Sentinel-aware clients connect to. */
  sentinel: string;
  /** The name the sentinels know the master by (clients ask for it). */
  masterName: string;
}

export interface RedisClusterStatus {
  phase?: RedisPhase;
  observedGeneration?: number;
  conditions?: Condition[];
  version?: string;
  /** Redis server pods (the scale subresource's status replicas). */
  replicas?: number;
  readyReplicas?: number;
  selector?: string;
  /** The Sentinel endpoint (printed by `kubectl get redis`). */
  sentinel?: string;
  endpoints?: RedisEndpoints;
  members?: MemberStatus[];
}

export interface RedisCluster extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: RedisClusterSpec;
  status?: RedisClusterStatus;
}
