import type {
  V1CSIStorageCapacity,
  V1Lease,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StorageClass,
} from "@kubernetes/client-node";
import type { KubeClients } from "../../k8s/client";
import type { EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import type { XlssBackup } from "../api/types";
import type { WaitingPods } from "./framework/waiting-pods";

/**
 * What every plugin factory gets besides its args (kube-scheduler's framework.Handle): API clients,
 * the scheduler's informer caches, its event recorder and the pods waiting on Permit. Built once in
 * main.ts; a plugin that needs another informer adds a field here and the informer there.
 */
export interface SchedulerHandle {
  clients: KubeClients;
  nodes: Informer<V1Node>;
  pods: Informer<V1Pod>;
  claims: Informer<V1PersistentVolumeClaim>;
  volumes: Informer<V1PersistentVolume>;
  classes: Informer<V1StorageClass>;
  capacities: Informer<V1CSIStorageCapacity>;
  /** The node agents' heartbeat Leases (in the system namespace). */
  agentLeases: Informer<V1Lease>;
  /** Backup records: whether a claim has a snapshot to restore. */
  backups: Informer<XlssBackup>;
  events: EventRecorder;
  waitingPods: WaitingPods;
}
