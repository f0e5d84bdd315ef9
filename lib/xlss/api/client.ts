import type { KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";
import { jsonPatch, mergePatch, type KubeClients } from "../../k8s/client";
import { isConflict, isNotFound } from "../../k8s/errors";
import {
  PLURALS,
  STORAGE_GROUP,
  STORAGE_VERSION,
  type XlssBackup,
  type XlssBackupStatus,
  type XlssFailover,
  type XlssRestore,
  type XlssRestoreStatus,
  type XlssStoragePool,
  type XlssStoragePoolStatus,
  type XlssVolume,
  type XlssVolumeStatus,
  type VolumeMove,
} from "./types";

// Typed access to the storage.xlss.io resources through the generic custom objects API. One set of
// generic operations; each resource gets thin typed names on top.

type Plural = (typeof PLURALS)[keyof typeof PLURALS];
type Selectors = { labelSelector?: string; fieldSelector?: string };
const base = (plural: Plural) => ({ group: STORAGE_GROUP, version: STORAGE_VERSION, plural });

/** Lists cluster-scoped objects, or namespaced ones in `namespace` (all namespaces when omitted). */
async function list<T extends KubernetesObject>(clients: KubeClients, plural: Plural, selectors: Selectors, namespace?: string) {
  const res = namespace
    ? await clients.custom.listNamespacedCustomObject({ ...base(plural), namespace, ...selectors })
    : await clients.custom.listClusterCustomObject({ ...base(plural), ...selectors });
  return res as KubernetesListObject<T>;
}

async function get<T>(clients: KubeClients, plural: Plural, name: string, namespace?: string): Promise<T | undefined> {
  try {
    return (namespace
      ? await clients.custom.getNamespacedCustomObject({ ...base(plural), namespace, name })
      : await clients.custom.getClusterCustomObject({ ...base(plural), name })) as T;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function create<T extends KubernetesObject>(clients: KubeClients, plural: Plural, body: T): Promise<T> {
  const namespace = body.metadata?.namespace;
  return (namespace
    ? await clients.custom.createNamespacedCustomObject({ ...base(plural), namespace, body })
    : await clients.custom.createClusterCustomObject({ ...base(plural), body })) as T;
}

/** Deletes an object; gone already counts as done. */
async function remove(clients: KubeClients, plural: Plural, name: string, namespace?: string): Promise<void> {
  try {
    if (namespace) await clients.custom.deleteNamespacedCustomObject({ ...base(plural), namespace, name });
    else await clients.custom.deleteClusterCustomObject({ ...base(plural), name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

async function patchStatus(clients: KubeClients, plural: Plural, name: string, status: object, namespace?: string): Promise<void> {
  const body = { status };
  if (namespace) await clients.custom.patchNamespacedCustomObjectStatus({ ...base(plural), namespace, name, body }, mergePatch);
  else await clients.custom.patchClusterCustomObjectStatus({ ...base(plural), name, body }, mergePatch);
}

export const listVolumes = (clients: KubeClients, s: Selectors = {}) => list<XlssVolume>(clients, PLURALS.volume, s);
export const getVolume = (clients: KubeClients, name: string) => get<XlssVolume>(clients, PLURALS.volume, name);
export const createVolume = (clients: KubeClients, v: XlssVolume) => create(clients, PLURALS.volume, v);
/** Deletes a volume (its finalizer keeps it until the agent is done). */
export const deleteVolume = (clients: KubeClients, name: string) => remove(clients, PLURALS.volume, name);
export const patchVolumeStatus = (clients: KubeClients, name: string, status: XlssVolumeStatus) => patchStatus(clients, PLURALS.volume, name, status);

export const listPools = (clients: KubeClients, s: Selectors = {}) => list<XlssStoragePool>(clients, PLURALS.pool, s);
export const getPool = (clients: KubeClients, name: string) => get<XlssStoragePool>(clients, PLURALS.pool, name);
export const createPool = (clients: KubeClients, p: XlssStoragePool) => create(clients, PLURALS.pool, p);
export const patchPoolStatus = (clients: KubeClients, name: string, status: XlssStoragePoolStatus) => patchStatus(clients, PLURALS.pool, name, status);

export const listBackups = (clients: KubeClients, s: Selectors = {}, namespace?: string) => list<XlssBackup>(clients, PLURALS.backup, s, namespace);
export const createBackup = (clients: KubeClients, b: XlssBackup) => create(clients, PLURALS.backup, b);
export const deleteBackup = (clients: KubeClients, namespace: string, name: string) => remove(clients, PLURALS.backup, name, namespace);
export const patchBackupStatus = (clients: KubeClients, namespace: string, name: string, status: XlssBackupStatus) =>
  patchStatus(clients, PLURALS.backup, name, status, namespace);

export const listRestores = (clients: KubeClients, s: Selectors = {}, namespace?: string) => list<XlssRestore>(clients, PLURALS.restore, s, namespace);
export const getRestore = (clients: KubeClients, namespace: string, name: string) => get<XlssRestore>(clients, PLURALS.restore, name, namespace);
export const createRestore = (clients: KubeClients, r: XlssRestore) => create(clients, PLURALS.restore, r);
export const deleteRestore = (clients: KubeClients, namespace: string, name: string) => remove(clients, PLURALS.restore, name, namespace);
export const patchRestoreStatus = (clients: KubeClients, namespace: string, name: string, status: XlssRestoreStatus) =>
  patchStatus(clients, PLURALS.restore, name, status, namespace);

export const listFailovers = (clients: KubeClients, s: Selectors = {}, namespace?: string) => list<XlssFailover>(clients, PLURALS.failover, s, namespace);
export const getFailover = (clients: KubeClients, namespace: string, name: string) => get<XlssFailover>(clients, PLURALS.failover, name, namespace);
export const createFailover = (clients: KubeClients, f: XlssFailover) => create(clients, PLURALS.failover, f);

/** Merges `spec.movedTo` (and nothing else) into a volume. */
export async function markVolumeMoved(clients: KubeClients, name: string, movedTo: VolumeMove): Promise<void> {
  await clients.custom.patchClusterCustomObject({ ...base(PLURALS.volume), name, body: { spec: { movedTo } } }, mergePatch);
}

/**
 * Read-modify-write of a failover's status with optimistic concurrency (the guardian, the scheduler
 * and the provisioner each write their stages); `mutate` returns false to leave it unchanged.
 */
export async function updateFailoverStatus(
  clients: KubeClients,
  namespace: string,
  name: string,
  mutate: (f: XlssFailover) => boolean,
): Promise<XlssFailover | undefined> {
  for (let attempt = 0; ; attempt++) {
    const f = await getFailover(clients, namespace, name);
    if (!f || !mutate(f)) return f;
    try {
      return (await clients.custom.replaceNamespacedCustomObjectStatus({ ...base(PLURALS.failover), namespace, name, body: f })) as XlssFailover;
    } catch (err) {
      if (!isConflict(err) || attempt >= 5) throw err;
    }
  }
}

/**
 * Removes one finalizer with a JSON patch that first tests the list is unchanged, so a finalizer
 * another controller added meanwhile is never dropped (the patch fails and the caller retries).
 */
export async function removeVolumeFinalizer(clients: KubeClients, volume: XlssVolume, finalizer: string): Promise<void> {
  const current = volume.metadata.finalizers ?? [];
  if (!current.includes(finalizer)) return;
  await clients.custom.patchClusterCustomObject(
    {
      ...base(PLURALS.volume),
      name: volume.metadata.name,
      body: [
        { op: "test", path: "/metadata/finalizers", value: current },
        { op: "replace", path: "/metadata/finalizers", value: current.filter((f) => f !== finalizer) },
      ],
    },
    jsonPatch,
  );
}
