import type { KubernetesObject, V1ObjectMeta } from "@kubernetes/client-node";
import type { Condition } from "../../lib/k8s/conditions";
import type { BackupSpec, ClaimRetention, ComputeResources, MemberStatus } from "../shared/types";

// TypeScript shapes of paas.xlss.io/v1alpha1 PostgresCluster as the operator reads it (fields with
// a schema default are required). charts/xlss/crds/paas.xlss.io_postgresclusters.yaml holds the
// schema; crd.test.ts keeps the two in step.

export const POSTGRES_KIND = "PostgresCluster";
export const POSTGRES_PLURAL = "postgresclusters";

/**
 * Tags of the official `postgres` image the operator knows how to run, oldest first. Within one
 * major version updates go forward in this list; a change of major version needs pg_upgrade (the
 * data directory format differs), which the API server refuses.
 */
export const POSTGRES_VERSIONS = ["15.10", "15.13", "16.6", "16.9", "17.2", "17.5"] as const;
export type PostgresVersion = (typeof POSTGRES_VERSIONS)[number];
export const DEFAULT_POSTGRES_VERSION: PostgresVersion = "17.5";

/** The major version of a tag ("16.9" → "16"). */
export const majorOf = (version: string): string => version.split(".")[0] ?? version;

export interface PostgresStorage {
  size: string;
  class: string;
  claimRetention: ClaimRetention;
}

/** A value in `spec.config`: YAML numbers stay numbers, everything else (on/off too) is text. */
export type PostgresSettingValue = string | number;

export interface PostgresClusterSpec {
  version: PostgresVersion;
  /** PostgreSQL servers: one primary and replicas-1 streaming replicas (the scale subresource's replicas). */
  replicas: number;
  config: Record<string, PostgresSettingValue>;
  resources: ComputeResources;
  storage: PostgresStorage;
  backup?: BackupSpec;
  /** Spread the servers over zones. */
  spreadOverZones: boolean;
}

export type PostgresPhase = "Creating" | "Running" | "Updating" | "Degraded";

export interface PostgresEndpoints {
  /** `host:port` of the read-write Service (the primary). */
  primary: string;
  /** `host:port` of the read-only Service (the streaming replicas; no endpoints with one server). */
  readOnly: string;
}

export interface PostgresClusterStatus {
  phase?: PostgresPhase;
  observedGeneration?: number;
  conditions?: Condition[];
  version?: string;
  /** Server pods, primary included (the scale subresource's status replicas). */
  replicas?: number;
  readyReplicas?: number;
  selector?: string;
  /** The primary's endpoint (printed by `kubectl get pg`). */
  primary?: string;
  endpoints?: PostgresEndpoints;
  /** The Secret with the superuser's and the replication user's passwords (its name, never a value). */
  credentialsSecret?: string;
  members?: MemberStatus[];
}

export interface PostgresCluster extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: PostgresClusterSpec;
  status?: PostgresClusterStatus;
}
