import type { V1Lease } from "@kubernetes/client-node";
import type { KubeClients } from "../../k8s/client";
import { isNotFound } from "../../k8s/errors";
import { agentLeaseName, SYSTEM_NAMESPACE } from "./types";

/** The heartbeat Lease the node agent of `node` renews; undefined if it never ran there. */
export async function readAgentLease(clients: KubeClients, node: string): Promise<V1Lease | undefined> {
  try {
    return await clients.coordination.readNamespacedLease({ name: agentLeaseName(node), namespace: SYSTEM_NAMESPACE });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** When the heartbeat runs out (ms since epoch): last renewal plus the duration the agent declared; 0 without one. */
export function heartbeatExpiresAt(lease: V1Lease | undefined): number {
  const renewed = lease?.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : 0;
  return renewed ? renewed + (lease?.spec?.leaseDurationSeconds ?? 0) * 1000 : 0;
}
