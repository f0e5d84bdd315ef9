import type { V1Pod } from "@kubernetes/client-node";
import type { KubeClients } from "./client";
import { isNotFound } from "./errors";

/**
 * Deletes a pod at once (grace period 0), only if it is still the object with `uid`: a late retry
 * must never kill the replacement pod a StatefulSet creates under the same name. Resolves to false
 * when the pod is already gone.
 *
 * The grace period goes in the DeleteOptions body: when a request has a body the API server decodes
 * the options from it alone and ignores the `gracePeriodSeconds` query parameter.
 */
export async function forceDeletePod(
  clients: KubeClients,
  pod: { name: string; namespace: string; uid: string },
): Promise<boolean> {
  try {
    await clients.core.deleteNamespacedPod({
      name: pod.name,
      namespace: pod.namespace,
      body: { gracePeriodSeconds: 0, preconditions: { uid: pod.uid } },
    });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** True when the pod's Ready condition is True and it is not being deleted. */
export function isPodReady(pod: V1Pod): boolean {
  return !pod.metadata?.deletionTimestamp && pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
}
