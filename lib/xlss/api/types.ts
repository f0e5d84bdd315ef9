import type { KubernetesObject, V1ObjectMeta } from "@kubernetes/client-node";

// TypeScript shapes of the storage.xlss.io/v1alpha1 resources; charts/xlss/crds/ holds their
// OpenAPI schemas, which the API server enforces (crds.test.ts keeps the two in step).

export const STORAGE_GROUP = "storage.xlss.io";
export const STORAGE_VERSION = "v1alpha1";
export const STORAGE_API_VERSION = `${STORAGE_GROUP}/${STORAGE_VERSION}`;

/** The provisioner name in StorageClasses, and the CSIDriver that opts into capacity tracking. */
export const PROVISIONER = "local.xlss.io";
/** Namespace of the platform's own objects (leases, capacity objects, secrets). */
export const SYSTEM_NAMESPACE = "xlss-system";

export const LABELS = {
  node: "storage.xlss.io/node",
  pod: "storage.xlss.io/pod",
  claimNamespace: "storage.xlss.io/claim-namespace",
  claimName: "storage.xlss.io/claim-name",
} as const;

/** Held by each XlssVolume until its node's agent has removed (or, by policy, kept) its data. */
export const VOLUME_FINALIZER = "storage.xlss.io/data";

export type VolumePhase = "Pending" | "Ready" | "Failed" | "Deleting" | "Quarantined";

/** Set on a volume whose data the rescue moved to another node; its old copy is kept, not reused. */
export interface VolumeMove {
  /** The node the volume's claim now lives on. */
  node: string;
  /** The XlssFailover (namespace/name) of the incident that moved it. */
  failover: string;
  time: string;
}

export interface XlssVolumeSpec {
  nodeName: string;
  /** Kubernetes quantity, e.g. "10Gi". */
  capacity: string;
  claimRef: { namespace: string; name: string; uid: string };
  storageClassName?: string;
  reclaimPolicy?: "Delete" | "Retain";
  movedTo?: VolumeMove;
}

export interface XlssVolumeStatus {
  phase?: VolumePhase;
  path?: string;
  usedBytes?: number;
  lastMeasured?: string;
  message?: string;
  observedGeneration?: number;
  /** A moved volume's old copy is kept until then (and until the move is confirmed healthy). */
  quarantinedUntil?: string;
}

export interface XlssVolume extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string };
  spec: XlssVolumeSpec;
  status?: XlssVolumeStatus;
}

export interface XlssStoragePoolSpec {
  capacity?: string;
  reserve?: string;
}

export interface XlssStoragePoolStatus {
  rootPath?: string;
  filesystemBytes?: number;
  filesystemFreeBytes?: number;
  capacityBytes?: number;
  allocatedBytes?: number;
  usedBytes?: number;
  volumes?: number;
  lastUpdate?: string;
  message?: string;
}

export interface XlssStoragePool extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string };
  spec?: XlssStoragePoolSpec;
  status?: XlssStoragePoolStatus;
}

/** Plural resource names, for the custom objects API and watch paths. */
export const PLURALS = {
  volume: "xlssvolumes",
  pool: "xlssstoragepools",
  backup: "xlssbackups",
  restore: "xlssrestores",
  failover: "xlssfailovers",
} as const;

/** Watch path of a resource: cluster-scoped, or a namespaced one across all namespaces. */
export const clusterPath = (plural: string) => `/apis/${STORAGE_GROUP}/${STORAGE_VERSION}/${plural}`;

/** The heartbeat Lease of a node's agent in SYSTEM_NAMESPACE. */
export const agentLeaseName = (node: string) => `xlss-rescuer-${node}`;

export interface XlssBackupSpec {
  claimName: string;
  trigger?: "Schedule" | "Manual";
}

export interface XlssBackupStatus {
  phase?: "Running" | "Completed" | "Failed";
  node?: string;
  volumeName?: string;
  pod?: string;
  snapshotId?: string;
  snapshotShortId?: string;
  parentSnapshotId?: string;
  startTime?: string;
  completionTime?: string;
  durationSeconds?: number;
  bytesAdded?: number;
  bytesProcessed?: number;
  filesNew?: number;
  filesChanged?: number;
  totalFiles?: number;
  message?: string;
}

export interface XlssBackup extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: XlssBackupSpec;
  status?: XlssBackupStatus;
}

export interface XlssRestoreSpec {
  claimName: string;
  snapshot?: string;
  targetVolume: string;
  force?: boolean;
}

export interface XlssRestoreStatus {
  phase?: "Pending" | "Running" | "Completed" | "Failed";
  node?: string;
  snapshotId?: string;
  snapshotShortId?: string;
  snapshotTime?: string;
  percent?: number;
  bytesRestored?: number;
  totalBytes?: number;
  filesRestored?: number;
  totalFiles?: number;
  startTime?: string;
  completionTime?: string;
  durationSeconds?: number;
  message?: string;
}

export interface XlssRestore extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: XlssRestoreSpec;
  status?: XlssRestoreStatus;
}

/** The Secret (in SYSTEM_NAMESPACE) holding the backup repository settings and password. */
export const BACKUP_SECRET = "xlss-backup";

/** The stages of one recovery, in order (the case study's six stages, backup aside). */
export const FAILOVER_STAGES = ["Detect", "Cleanup", "Reschedule", "Restore", "Ready"] as const;
export type FailoverStageName = (typeof FAILOVER_STAGES)[number];

export interface FailoverStage {
  name: FailoverStageName;
  startTime: string;
  completionTime?: string;
  seconds?: number;
}

export interface FailoverClaim {
  name: string;
  oldVolume: string;
  newVolume?: string;
  restore?: string;
  snapshotId?: string;
  snapshotTime?: string;
  bytesRestored?: number;
  /** No snapshot existed and the claim's policy allowed starting empty. */
  startedEmpty?: boolean;
}

export type FailoverPhase = "Rescheduling" | "WaitingForBackup" | "Restoring" | "Starting" | "Completed" | "Failed";

export interface XlssFailoverSpec {
  podName: string;
  failedNode: string;
}

export interface XlssFailoverStatus {
  phase?: FailoverPhase;
  reason?: string;
  newNode?: string;
  claims?: FailoverClaim[];
  stages?: FailoverStage[];
  /** Data lost to the incident: from the newest snapshot restored to the moment the node went down. */
  rpoSeconds?: number;
  /** From the node going down to the pod Ready on its new node. */
  totalSeconds?: number;
  message?: string;
}

/** One incident: a stateful pod moved off a dead node, with the timeline of its recovery. */
export interface XlssFailover extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string; namespace: string };
  spec: XlssFailoverSpec;
  status?: XlssFailoverStatus;
}
