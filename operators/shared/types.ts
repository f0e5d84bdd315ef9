// Shapes every paas.xlss.io kind shares; each kind's CRD repeats their schema (crd.test.ts of each
// kind checks it against these).

/** CPU and memory as Kubernetes quantities ("500m", "4Gi"; a YAML number such as `cpu: 2` stays a number). */
export interface ResourceList {
  cpu?: string | number;
  memory?: string | number;
}

export interface ComputeResources {
  requests: ResourceList;
  limits?: ResourceList;
}

/** What happens to a member's claims (StatefulSet persistentVolumeClaimRetentionPolicy). */
export interface ClaimRetention {
  whenDeleted: "Retain" | "Delete";
  whenScaled: "Retain" | "Delete";
}

/** A backup policy; the operator turns it into the `backup.xlss.io/*` pod annotations the node agents read. */
export interface BackupSpec {
  /** `@every 6h` or a five-field cron expression in UTC. */
  schedule: string;
  /** `last=N,daily=N,weekly=N` (any of them). */
  retention: string;
  enabled: boolean;
}

/** One pod of a middleware cluster, as its status lists it. */
export interface MemberStatus {
  name: string;
  /** What the member does, e.g. broker, controller, combined; master, replica, sentinel. */
  role: string;
  /** The middleware's own id of the member (Kafka node.id), when it has one. */
  id?: number;
  node?: string;
  zone?: string;
  ready: boolean;
  version?: string;
  /** False while the member still runs an older configuration or version and awaits its restart. */
  upToDate: boolean;
}
