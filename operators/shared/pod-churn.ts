import { Watch, type V1Pod } from "@kubernetes/client-node";
import type { KubeClients } from "../../lib/k8s/client";

// For integration tests: how a rolling restart proceeds, seen through a watch of a namespace's pods.

/** What a pod watch saw: the order in which running pods were taken down, and how many members were down at once at most. */
export interface PodChurn {
  /**
   * Names of pods that had been ready, in the order they began terminating (deletionTimestamp set
   * or gone). Pods deleted before ever becoming ready are left out: KWOK's pod-delete stage runs
   * twice per deleted pod and deletes by name, so now and then its second run removes the pod the
   * StatefulSet has just re-created under that name — a simulator artefact, not a restart.
   */
  terminated: string[];
  /** The most pods not ready (or missing) at the same time, among those seen at the start. */
  maxDown: number;
  stop(): Promise<void>;
}

/** Watches a namespace's pods, to see how a rolling restart proceeds. */
export async function watchPodChurn(kube: KubeClients, namespace: string): Promise<PodChurn> {
  const ready = new Map<string, boolean>();
  const terminating = new Set<string>();
  const wasReady = new Set<string>();
  const churn: PodChurn = {
    terminated: [],
    maxDown: 0,
    stop: async () => controller.abort(),
  };
  const isReady = (p: V1Pod) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
  const controller = await new Watch(kube.kc).watch(
    `/api/v1/namespaces/${namespace}/pods`,
    {},
    (type: string, pod: V1Pod) => {
      const name = pod.metadata?.name ?? "";
      const uid = pod.metadata?.uid ?? "";
      if (type !== "DELETED" && isReady(pod)) wasReady.add(uid);
      if ((type === "DELETED" || pod.metadata?.deletionTimestamp) && !terminating.has(uid)) {
        terminating.add(uid);
        if (wasReady.has(uid) || pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) churn.terminated.push(name);
      }
      ready.set(name, type !== "DELETED" && isReady(pod));
      churn.maxDown = Math.max(churn.maxDown, [...ready.values()].filter((r) => !r).length);
    },
    () => {},
  );
  return churn;
}
