import type { KubernetesListObject } from "@kubernetes/client-node";
import { jsonPatch, mergePatch, type KubeClients } from "../../k8s/client";
import { isNotFound } from "../../k8s/errors";
import {
  PLURALS,
  STORAGE_GROUP,
  STORAGE_VERSION,
  type XlssStoragePool,
  type XlssStoragePoolStatus,
  type XlssVolume,
  type XlssVolumeStatus,
} from "./types";

// Typed access to the storage.xlss.io resources through the generic custom objects API.

const base = (plural: string) => ({ group: STORAGE_GROUP, version: STORAGE_VERSION, plural });

export async function listVolumes(
  clients: KubeClients,
  selectors: { labelSelector?: string; fieldSelector?: string } = {},
): Promise<KubernetesListObject<XlssVolume>> {
  return (await clients.custom.listClusterCustomObject({ ...base(PLURALS.volume), ...selectors })) as KubernetesListObject<XlssVolume>;
}

export async function getVolume(clients: KubeClients, name: string): Promise<XlssVolume | undefined> {
  try {
    return (await clients.custom.getClusterCustomObject({ ...base(PLURALS.volume), name })) as XlssVolume;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function createVolume(clients: KubeClients, volume: XlssVolume): Promise<XlssVolume> {
  return (await clients.custom.createClusterCustomObject({ ...base(PLURALS.volume), body: volume })) as XlssVolume;
}

/** Deletes a volume (its finalizer keeps it until the agent is done); gone already counts as done. */
export async function deleteVolume(clients: KubeClients, name: string): Promise<void> {
  try {
    await clients.custom.deleteClusterCustomObject({ ...base(PLURALS.volume), name });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export async function patchVolumeStatus(clients: KubeClients, name: string, status: XlssVolumeStatus): Promise<void> {
  await clients.custom.patchClusterCustomObjectStatus({ ...base(PLURALS.volume), name, body: { status } }, mergePatch);
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

export async function listPools(
  clients: KubeClients,
  selectors: { labelSelector?: string; fieldSelector?: string } = {},
): Promise<KubernetesListObject<XlssStoragePool>> {
  return (await clients.custom.listClusterCustomObject({ ...base(PLURALS.pool), ...selectors })) as KubernetesListObject<XlssStoragePool>;
}

export async function getPool(clients: KubeClients, name: string): Promise<XlssStoragePool | undefined> {
  try {
    return (await clients.custom.getClusterCustomObject({ ...base(PLURALS.pool), name })) as XlssStoragePool;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function createPool(clients: KubeClients, pool: XlssStoragePool): Promise<XlssStoragePool> {
  return (await clients.custom.createClusterCustomObject({ ...base(PLURALS.pool), body: pool })) as XlssStoragePool;
}

export async function patchPoolStatus(clients: KubeClients, name: string, status: XlssStoragePoolStatus): Promise<void> {
  await clients.custom.patchClusterCustomObjectStatus({ ...base(PLURALS.pool), name, body: { status } }, mergePatch);
}
