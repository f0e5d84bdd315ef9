import type { KubeClients } from "../../k8s/client";
import { KeyedMutex } from "../../k8s/keyed-mutex";
import { getPool, listVolumes } from "../api/client";
import { LABELS, type XlssVolume } from "../api/types";

/**
 * One lock per node for everything in the provisioner that takes room in a node's pool (a new
 * volume, a volume growing): the room check and the write that takes the room never interleave, so
 * two claims can never both take the last gigabyte.
 */
export const nodeLocks = new KeyedMutex();

/** A node's pool as it is now: its capacity (undefined until the agent reported) and its volumes. */
export interface PoolRoom {
  capacityBytes: number | undefined;
  volumes: XlssVolume[];
}

/** Reads the node's pool and lists its volumes live (not from a cache); call under `nodeLocks`. */
export async function poolRoom(clients: KubeClients, node: string): Promise<PoolRoom> {
  const pool = await getPool(clients, node);
  const onNode = await listVolumes(clients, { labelSelector: `${LABELS.node}=${node}` });
  return { capacityBytes: pool?.status?.capacityBytes, volumes: onNode.items };
}
