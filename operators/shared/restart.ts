import type { V1Pod, V1PodDisruptionBudget, V1PodTemplateSpec, V1StatefulSet } from "@kubernetes/client-node";
import type { KubeClients } from "../../lib/k8s/client";
import { budgetOnlyCountsRecreatedPods, deletePod, evictPod } from "../../lib/k8s/eviction";
import type { Informer } from "../../lib/k8s/informer";
import { hashOf } from "./hash";
import { ANNOTATIONS } from "./labels";

/** What became of a restart: the pod is going, a budget holds it back (try again soon), or it was gone already. */
export type RestartOutcome = "restarting" | "waiting" | "gone";

/**
 * Restarts one member of a StatefulSet by evicting its pod (the StatefulSet re-creates it from the
 * current template), so PodDisruptionBudgets hold. When the budget (`budgetName`) refuses only
 * because it still counts members re-created earlier in the same roll that are back and ready (it
 * remembers an evicted pod by name for two minutes; see budgetOnlyCountsRecreatedPods), the pod is
 * deleted directly instead: the roll has checked that every member is ready. `pods` are the
 * StatefulSet's pods by name.
 */
export async function restartMember(
  clients: KubeClients,
  budgets: Informer<V1PodDisruptionBudget>,
  pod: V1Pod,
  budgetName: string,
  pods: ReadonlyMap<string, V1Pod>,
): Promise<RestartOutcome> {
  const ref = { name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace ?? "", uid: pod.metadata?.uid ?? "" };
  let result = await evictPod(clients, ref);
  if (result === "blocked") {
    const budget = budgets.get(budgetName, ref.namespace);
    if (!budget || !budgetOnlyCountsRecreatedPods(budget, pods)) return "waiting";
    result = await deletePod(clients, ref);
  }
  return result === "evicted" ? "restarting" : "gone";
}

/**
 * Whether a StatefulSet's controller has seen the template with `restartHash` (the cached object
 * carries it, and status.observedGeneration has caught up with its generation). Only then does a
 * deleted pod come back with that template.
 */
export function templateObserved(sts: V1StatefulSet | undefined, restartHash: string | undefined): boolean {
  return (
    sts !== undefined &&
    sts.spec?.template.metadata?.annotations?.[ANNOTATIONS.restartHash] === restartHash &&
    sts.status?.observedGeneration !== undefined &&
    sts.status.observedGeneration >= (sts.metadata?.generation ?? 0)
  );
}

/**
 * `template` with its restart hash, a hash of the whole template as given. Pods whose hash differs
 * are restarted, so call it before adding what must not restart them (withBackupPolicy).
 */
export function withRestartHash(template: V1PodTemplateSpec): V1PodTemplateSpec {
  return { ...template, metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, [ANNOTATIONS.restartHash]: hashOf(template) } } };
}
