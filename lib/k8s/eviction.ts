import type { KubeClients } from "./client";
import { apiStatus } from "./errors";

/** What became of an eviction request. */
export type EvictionResult = "evicted" | "blocked" | "gone";

/**
 * Evicts a pod through the Eviction API, so PodDisruptionBudgets are honoured: a voluntary restart
 * never takes a member down while the budget says the group cannot spare one. Only the pod with
 * `uid` is evicted, never a replacement that took its name. Resolves to "blocked" when a budget
 * refuses (HTTP 429, retry later) and to "gone" when the pod (that uid) no longer exists.
 */
export async function evictPod(clients: KubeClients, pod: { name: string; namespace: string; uid: string }): Promise<EvictionResult> {
  try {
    await clients.core.createNamespacedPodEviction({
      name: pod.name,
      namespace: pod.namespace,
      body: {
        apiVersion: "policy/v1",
        kind: "Eviction",
        metadata: { name: pod.name, namespace: pod.namespace },
        deleteOptions: { preconditions: { uid: pod.uid } },
      },
    });
    return "evicted";
  } catch (err) {
    const status = apiStatus(err);
    if (status === 429) return "blocked";
    // 404: no such pod; 409: the uid precondition failed, the name now belongs to a new pod.
    if (status === 404 || status === 409) return "gone";
    throw err;
  }
}
