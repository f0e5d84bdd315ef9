import type { V1Pod, V1PodDisruptionBudget } from "@kubernetes/client-node";
import type { KubeClients } from "./client";
import { apiStatus } from "./errors";
import { isPodReady } from "./pods";

/** What became of an eviction or deletion request. */
export type EvictionResult = "evicted" | "blocked" | "gone";

/** The pod to evict or delete: only this uid, never a replacement that took its name. */
export interface PodRef {
  name: string;
  namespace: string;
  uid: string;
}

/**
 * Evicts a pod through the Eviction API, so PodDisruptionBudgets are honoured: a voluntary restart
 * never takes a member down while the budget says the group cannot spare one. Resolves to
 * "blocked" when a budget refuses (HTTP 429, retry later) and to "gone" when the pod (that uid) no
 * longer exists.
 */
export async function evictPod(clients: KubeClients, pod: PodRef): Promise<EvictionResult> {
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
    return goneOrThrow(err);
  }
}

/** Deletes a pod gracefully (its own termination grace period), only if it is still `uid`. */
export async function deletePod(clients: KubeClients, pod: PodRef): Promise<EvictionResult> {
  try {
    await clients.core.deleteNamespacedPod({ name: pod.name, namespace: pod.namespace, body: { preconditions: { uid: pod.uid } } });
    return "evicted";
  } catch (err) {
    return goneOrThrow(err);
  }
}

// 404: no such pod; 409: the uid precondition failed, the name now belongs to a new pod.
function goneOrThrow(err: unknown): "gone" {
  const status = apiStatus(err);
  if (status === 404 || status === 409) return "gone";
  throw err;
}

/**
 * True when a budget refuses only because of its own stale records. The disruption controller
 * keeps an evicted pod in `status.disruptedPods` by name until it sees that pod deleted or two
 * minutes pass (upstream pkg/controller/disruption, buildDisruptedPodMap); a StatefulSet re-creates
 * the pod under the same name at once, so a member that is back and ready still counts as
 * disrupted. That is the case when every listed pod exists, is ready, and was created after its
 * eviction. `pods` are the budget's pods by name.
 */
export function budgetOnlyCountsRecreatedPods(pdb: V1PodDisruptionBudget, pods: ReadonlyMap<string, V1Pod>): boolean {
  const disrupted = Object.entries(pdb.status?.disruptedPods ?? {});
  return (
    disrupted.length > 0 &&
    disrupted.every(([name, at]) => {
      const pod = pods.get(name);
      const created = pod?.metadata?.creationTimestamp;
      return pod !== undefined && isPodReady(pod) && created !== undefined && new Date(created).getTime() > new Date(at).getTime();
    })
  );
}
