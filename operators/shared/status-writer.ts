import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { KubeClients } from "../../lib/k8s/client";
import { stableJson } from "./hash";
import { OPERATORS, PAAS_API_VERSION, PAAS_GROUP, PAAS_VERSION } from "./labels";

const serverSideApply = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

/** A namespaced paas.xlss.io resource, as far as writing its status goes. */
export interface StatusTarget<S> {
  kind: string;
  metadata: { name: string; namespace: string };
  status?: S;
}

/**
 * Writes a resource's whole status by server-side apply on the status subresource (field manager
 * xlss-operators): fields the operator stops sending disappear. Skips the write when the status is
 * already that (so a status write, which wakes the operator again, does not loop). Returns whether
 * it wrote.
 */
export async function writeStatus<S extends object>(clients: KubeClients, plural: string, obj: StatusTarget<S>, status: S): Promise<boolean> {
  if (obj.status && stableJson(obj.status) === stableJson(status)) return false;
  await clients.custom.patchNamespacedCustomObjectStatus(
    {
      group: PAAS_GROUP,
      version: PAAS_VERSION,
      plural,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      body: { apiVersion: PAAS_API_VERSION, kind: obj.kind, metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace }, status },
      fieldManager: OPERATORS,
      force: true,
    },
    serverSideApply,
  );
  return true;
}
