import "server-only";
import type { V1Pod } from "@kubernetes/client-node";
import { visible, type Principal } from "@/lib/auth/principal";
import { sharedKubeClients, type KubeClients } from "@/lib/k8s/client";
import { isoTimestamp } from "@/lib/k8s/time";
import { listBackups, listPools, listRestores, listVolumes, getVolume } from "@/lib/xlss/api/client";
import type { XlssBackup, XlssRestore, XlssVolume } from "@/lib/xlss/api/types";
import { quantityBytes } from "@/lib/xlss/capacity";
import { backupStanding, type BackupStanding } from "./backup-state";

// What the storage, backup and volume pages show, read live from the API server and cut down to
// what the principal may see: volumes by their claim's namespace. Pools describe nodes, not tenants,
// and are shown to everyone signed in.

export interface PoolView {
  node: string;
  capacityBytes?: number;
  allocatedBytes?: number;
  usedBytes?: number;
  filesystemFreeBytes?: number;
  volumes?: number;
  lastUpdate?: string;
  message?: string;
}

export interface VolumeView {
  name: string;
  node: string;
  namespace: string;
  claim: string;
  capacityBytes?: number;
  usedBytes?: number;
  phase?: string;
  storageClass?: string;
  /** The running pod that mounts the claim, if any. */
  pod?: string;
  movedTo?: string;
  backup: BackupStanding;
}

export interface BackupView {
  name: string;
  namespace: string;
  claim: string;
  trigger?: string;
  phase?: string;
  node?: string;
  snapshotId?: string;
  startTime?: string;
  completionTime?: string;
  durationSeconds?: number;
  bytesAdded?: number;
  bytesProcessed?: number;
  totalFiles?: number;
  message?: string;
  created?: string;
}

export interface RestoreView {
  name: string;
  namespace: string;
  claim: string;
  targetVolume: string;
  snapshot?: string;
  phase?: string;
  percent?: number;
  bytesRestored?: number;
  totalBytes?: number;
  snapshotId?: string;
  snapshotTime?: string;
  startTime?: string;
  completionTime?: string;
  durationSeconds?: number;
  message?: string;
  created?: string;
}

export const backupView = (b: XlssBackup): BackupView => ({
  name: b.metadata.name,
  namespace: b.metadata.namespace,
  claim: b.spec.claimName,
  trigger: b.spec.trigger,
  phase: b.status?.phase,
  node: b.status?.node,
  snapshotId: b.status?.snapshotId,
  startTime: b.status?.startTime,
  completionTime: b.status?.completionTime,
  durationSeconds: b.status?.durationSeconds,
  bytesAdded: b.status?.bytesAdded,
  bytesProcessed: b.status?.bytesProcessed,
  totalFiles: b.status?.totalFiles,
  message: b.status?.message,
  created: isoTimestamp(b.metadata.creationTimestamp),
});

export const restoreView = (r: XlssRestore): RestoreView => ({
  name: r.metadata.name,
  namespace: r.metadata.namespace,
  claim: r.spec.claimName,
  targetVolume: r.spec.targetVolume,
  snapshot: r.spec.snapshot,
  phase: r.status?.phase,
  percent: r.status?.percent,
  bytesRestored: r.status?.bytesRestored,
  totalBytes: r.status?.totalBytes,
  snapshotId: r.status?.snapshotId,
  snapshotTime: r.status?.snapshotTime,
  startTime: r.status?.startTime,
  completionTime: r.status?.completionTime,
  durationSeconds: r.status?.durationSeconds,
  message: r.status?.message,
  created: isoTimestamp(r.metadata.creationTimestamp),
});

const claimKey = (namespace: string, claim: string) => `${namespace}/${claim}`;

/** Running or pending pods by the claims they mount (namespace/claim → pod). */
function podsByClaim(pods: readonly V1Pod[]): Map<string, V1Pod> {
  const map = new Map<string, V1Pod>();
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    for (const v of pod.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim) map.set(claimKey(pod.metadata?.namespace ?? "", v.persistentVolumeClaim.claimName), pod);
    }
  }
  return map;
}

function volumeView(v: XlssVolume, pod: V1Pod | undefined, backups: readonly XlssBackup[], now: Date): VolumeView {
  return {
    name: v.metadata.name,
    node: v.spec.nodeName,
    namespace: v.spec.claimRef.namespace,
    claim: v.spec.claimRef.name,
    capacityBytes: quantityBytes(v.spec.capacity),
    usedBytes: v.status?.usedBytes,
    phase: v.status?.phase,
    storageClass: v.spec.storageClassName,
    pod: pod?.metadata?.name,
    movedTo: v.spec.movedTo?.node,
    backup: backupStanding(pod?.metadata?.annotations, backups, now),
  };
}

/** Pods of the namespaces the principal sees (all namespaces for approvers and admins). */
async function visiblePods(clients: KubeClients, principal: Principal): Promise<V1Pod[]> {
  if (principal.namespaces === "all") return (await clients.core.listPodForAllNamespaces()).items;
  const lists = await Promise.all([...principal.namespaces].map((namespace) => clients.core.listNamespacedPod({ namespace })));
  return lists.flatMap((l) => l.items);
}

async function visibleBackups(clients: KubeClients, principal: Principal): Promise<XlssBackup[]> {
  if (principal.namespaces === "all") return (await listBackups(clients)).items;
  const lists = await Promise.all([...principal.namespaces].map((ns) => listBackups(clients, {}, ns)));
  return lists.flatMap((l) => l.items);
}

export interface StorageOverview {
  pools: PoolView[];
  volumes: VolumeView[];
}

/** Pools of every node and the volumes the principal may see, each with its backup standing. */
export async function storageOverview(principal: Principal, clients: KubeClients = sharedKubeClients()): Promise<StorageOverview> {
  const now = new Date();
  const [pools, volumes, pods, backups] = await Promise.all([listPools(clients), listVolumes(clients), visiblePods(clients, principal), visibleBackups(clients, principal)]);
  const byClaim = podsByClaim(pods);
  const backupsByClaim = new Map<string, XlssBackup[]>();
  for (const b of backups) {
    const key = claimKey(b.metadata.namespace, b.spec.claimName);
    backupsByClaim.set(key, [...(backupsByClaim.get(key) ?? []), b]);
  }
  return {
    pools: pools.items
      .map((p) => ({ node: p.metadata.name, ...p.status }))
      .map(({ node, capacityBytes, allocatedBytes, usedBytes, filesystemFreeBytes, volumes: count, lastUpdate, message }) => ({ node, capacityBytes, allocatedBytes, usedBytes, filesystemFreeBytes, volumes: count, lastUpdate, message }))
      .sort((a, b) => a.node.localeCompare(b.node)),
    volumes: visible(principal, volumes.items, (v) => v.spec.claimRef.namespace)
      .map((v) => {
        const key = claimKey(v.spec.claimRef.namespace, v.spec.claimRef.name);
        return volumeView(v, byClaim.get(key), backupsByClaim.get(key) ?? [], now);
      })
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.claim.localeCompare(b.claim) || a.name.localeCompare(b.name)),
  };
}

export interface VolumeDetail {
  volume: VolumeView;
  backups: BackupView[];
  restores: RestoreView[];
}

/**
 * One volume with its claim's backup history (by namespace + claim name, so it survives a claim
 * re-created after a failover) and the restores into it; undefined when it does not exist or the
 * principal may not see it (the two look the same from outside).
 */
export async function volumeDetail(principal: Principal, name: string, clients: KubeClients = sharedKubeClients()): Promise<VolumeDetail | undefined> {
  const volume = await getVolume(clients, name);
  if (!volume || visible(principal, [volume], (v) => v.spec.claimRef.namespace).length === 0) return undefined;
  const { namespace, name: claim } = volume.spec.claimRef;
  const [pods, backups, restores] = await Promise.all([
    clients.core.listNamespacedPod({ namespace }),
    listBackups(clients, {}, namespace),
    listRestores(clients, {}, namespace),
  ]);
  const mine = backups.items.filter((b) => b.spec.claimName === claim);
  const byCreation = <T extends { created?: string }>(a: T, b: T) => Date.parse(b.created ?? "") - Date.parse(a.created ?? "");
  return {
    volume: volumeView(volume, podsByClaim(pods.items).get(claimKey(namespace, claim)), mine, new Date()),
    backups: mine.map(backupView).sort(byCreation),
    restores: restores.items.filter((r) => r.spec.targetVolume === name).map(restoreView).sort(byCreation),
  };
}

/** Every backup run the principal may see, newest first. */
export async function recentBackups(principal: Principal, limit = 100, clients: KubeClients = sharedKubeClients()): Promise<BackupView[]> {
  return (await visibleBackups(clients, principal))
    .map(backupView)
    .sort((a, b) => Date.parse(b.created ?? "") - Date.parse(a.created ?? ""))
    .slice(0, limit);
}
