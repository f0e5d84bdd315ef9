import type { KubernetesListObject, KubernetesObject, V1ConfigMap, V1PersistentVolumeClaim, V1Pod, V1PodDisruptionBudget, V1Service, V1StatefulSet } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeClients } from "../../lib/k8s/client";
import { Informer } from "../../lib/k8s/informer";
import type { Manager } from "../../lib/k8s/manager";
import { MANAGED_SELECTOR } from "./labels";

/**
 * Caches of the objects the operators create, shared by every kind: only objects labelled
 * managed-by=xlss-operators are listed and watched, so memory follows the platform's own objects,
 * not the cluster's size.
 */
export interface ManagedInformers {
  pods: Informer<V1Pod>;
  statefulSets: Informer<V1StatefulSet>;
  services: Informer<V1Service>;
  configMaps: Informer<V1ConfigMap>;
  budgets: Informer<V1PodDisruptionBudget>;
  /** The StatefulSets' claims (their volume claim templates carry the managed-by label): watched for resizes. */
  claims: Informer<V1PersistentVolumeClaim>;
}

export function managedInformers(manager: Manager, clients: KubeClients, log: Logger): ManagedInformers {
  const informer = <T extends KubernetesObject>(path: string, list: (labelSelector: string) => Promise<KubernetesListObject<T>>) =>
    manager.addInformer(
      new Informer<T>(clients.kc, { path, labelSelector: MANAGED_SELECTOR, list: ({ labelSelector }) => list(labelSelector ?? MANAGED_SELECTOR) }, log),
    );
  return {
    pods: informer<V1Pod>("/api/v1/pods", (labelSelector) => clients.core.listPodForAllNamespaces({ labelSelector })),
    statefulSets: informer<V1StatefulSet>("/apis/apps/v1/statefulsets", (labelSelector) => clients.apps.listStatefulSetForAllNamespaces({ labelSelector })),
    services: informer<V1Service>("/api/v1/services", (labelSelector) => clients.core.listServiceForAllNamespaces({ labelSelector })),
    configMaps: informer<V1ConfigMap>("/api/v1/configmaps", (labelSelector) => clients.core.listConfigMapForAllNamespaces({ labelSelector })),
    budgets: informer<V1PodDisruptionBudget>("/apis/policy/v1/poddisruptionbudgets", (labelSelector) =>
      clients.policy.listPodDisruptionBudgetForAllNamespaces({ labelSelector }),
    ),
    claims: informer<V1PersistentVolumeClaim>("/api/v1/persistentvolumeclaims", (labelSelector) =>
      clients.core.listPersistentVolumeClaimForAllNamespaces({ labelSelector }),
    ),
  };
}
