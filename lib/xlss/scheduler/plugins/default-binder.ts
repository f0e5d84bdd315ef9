import type { V1Pod } from "@kubernetes/client-node";
import type { KubeClients } from "../../../k8s/client";
import type { BindPlugin, CycleState } from "../framework/interfaces";
import type { MaybeStatus } from "../framework/status";
import { PLUGIN } from "./names";

/**
 * Binds through the API server's `pods/binding` subresource. The binding carries the pod's uid, so
 * a pod re-created under the same name is never bound by a decision made for its predecessor (the
 * API server answers 409, which the framework hands back as the status's cause).
 */
export function defaultBinder(handle: { clients: KubeClients }): BindPlugin {
  return {
    name: PLUGIN.DefaultBinder,
    async bind(_state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus> {
      const { name = "", namespace = "", uid } = pod.metadata ?? {};
      await handle.clients.core.createNamespacedPodBinding({
        name,
        namespace,
        body: { apiVersion: "v1", kind: "Binding", metadata: { name, namespace, uid }, target: { apiVersion: "v1", kind: "Node", name: nodeName } },
      });
      return undefined;
    },
  };
}
