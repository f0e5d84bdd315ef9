import type { KubernetesObject, V1ObjectMeta } from "@kubernetes/client-node";
import type { Condition } from "../../lib/k8s/conditions";
import type { BackupSpec, ClaimRetention, ComputeResources, MemberStatus } from "../shared/types";

// TypeScript shapes of paas.xlss.io/v1alpha1 KafkaCluster as the operator reads it: fields with a
// schema default are required here because the API server fills them in before anyone reads them.
// charts/xlss/crds/paas.xlss.io_kafkaclusters.yaml holds the schema the API server enforces;
// crd.test.ts keeps the two in step.

export const KAFKA_KIND = "KafkaCluster";
export const KAFKA_PLURAL = "kafkaclusters";

/** Kafka releases the operator knows how to run, oldest first (upgrades go forward in this list). */
export const KAFKA_VERSIONS = ["3.7.2", "3.8.1", "3.9.0", "3.9.1", "4.0.0", "4.1.0", "4.1.1", "4.2.0", "4.3.0"] as const;
export type KafkaVersion = (typeof KAFKA_VERSIONS)[number];
export const DEFAULT_KAFKA_VERSION: KafkaVersion = "4.1.1";

export type ControllerMode = "Separate" | "Combined";

export interface KafkaControllersSpec {
  /** Separate: dedicated controller pods. Combined: the first `replicas` brokers are controllers too. */
  mode: ControllerMode;
  /** Voters of the KRaft quorum: 1, 3 or 5; fixed once created. */
  replicas: number;
  /** Separate mode only. */
  resources: ComputeResources;
  /** Separate mode only: the metadata log's volume. */
  storage: { size: string };
}

export interface KafkaListener {
  /** Lower-case name; the Kafka listener is its upper-case form. */
  name: string;
  port: number;
  /** When set, the listener speaks TLS with the kubernetes.io/tls Secret of this name. */
  tls?: { secretName: string };
}

export interface KafkaReplication {
  /** default.replication.factor and the internal topics' replication factor. */
  factor: number;
  /** min.insync.replicas and the transaction log's minimum ISR. */
  minInSync: number;
}

export interface KafkaStorage {
  size: string;
  class: string;
  claimRetention: ClaimRetention;
}

export interface KafkaRackAwareness {
  enabled: boolean;
  topologyKey: "topology.kubernetes.io/zone" | "topology.kubernetes.io/region";
}

/** A value in `spec.config`: YAML numbers stay numbers, everything else (true/false too) is text. */
export type KafkaSettingValue = string | number;

export interface KafkaClusterSpec {
  version: KafkaVersion;
  /** Brokers (the scale subresource's replicas). */
  replicas: number;
  controllers: KafkaControllersSpec;
  replication: KafkaReplication;
  listeners: KafkaListener[];
  config: Record<string, KafkaSettingValue>;
  resources: ComputeResources;
  storage: KafkaStorage;
  backup?: BackupSpec;
  rackAwareness: KafkaRackAwareness;
  /** Kafka's cluster id (22 characters, base64url); derived from the object's uid when absent. */
  clusterId?: string;
}

export type KafkaPhase = "Creating" | "Running" | "Updating" | "Degraded";

export interface KafkaEndpoint {
  listener: string;
  /** `host:port` of the client Service: what clients put in bootstrap.servers. */
  bootstrapServers: string;
  tls: boolean;
}

export interface KafkaClusterStatus {
  phase?: KafkaPhase;
  observedGeneration?: number;
  conditions?: Condition[];
  clusterId?: string;
  /** The version every member runs, or the oldest one during an upgrade. */
  version?: string;
  /** Broker pods (the scale subresource's status replicas). */
  replicas?: number;
  readyReplicas?: number;
  /** Label selector of the broker pods (for the scale subresource). */
  selector?: string;
  /** The first listener's bootstrap servers (printed by `kubectl get kafka`). */
  bootstrapServers?: string;
  endpoints?: KafkaEndpoint[];
  members?: MemberStatus[];
  /** The replication settings the running brokers were last rolled out with; scale-in is checked against them. */
  replication?: KafkaReplication;
}

export interface KafkaCluster extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: KafkaClusterSpec;
  status?: KafkaClusterStatus;
}
