import type { V1ConfigMap, V1ObjectMeta, V1PodDisruptionBudget, V1Service, V1ServicePort, V1StatefulSet } from "@kubernetes/client-node";
import type { ChildApplier } from "./child-applier";
import type { ManagedInformers } from "./informers";
import { LABELS, objectLabels, ownerReference } from "./labels";

/** Everything a middleware resource owns, as it should be. */
export interface OwnedObjects {
  configMap: V1ConfigMap;
  services: V1Service[];
  /** In the order they are applied and restarted. */
  statefulSets: V1StatefulSet[];
  budgets: V1PodDisruptionBudget[];
  /** The restart hash each StatefulSet's pods must carry to be up to date, by StatefulSet name. */
  restartHashes: Record<string, string>;
}

/** Metadata of an object owned by `owner` (kind `kind`, middleware `app`): its namespace, labels and owner reference. */
export function ownedMeta(app: string, kind: string, owner: { metadata: { name: string; namespace: string; uid?: string } }) {
  return (name: string, component?: string): V1ObjectMeta => ({
    name,
    namespace: owner.metadata.namespace,
    labels: objectLabels(app, owner.metadata.name, component),
    ownerReferences: [ownerReference({ kind, metadata: owner.metadata })],
  });
}

/**
 * The headless Service that gives every pod of `instance` (all roles) its DNS name. Members reach
 * each other by that name (quorum, replication, the primary) before they are ready, hence
 * publishNotReadyAddresses.
 */
export function headlessService(metadata: V1ObjectMeta, app: string, instance: string, ports: V1ServicePort[]): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata,
    spec: { clusterIP: "None", publishNotReadyAddresses: true, selector: { [LABELS.name]: app, [LABELS.instance]: instance }, ports },
  };
}

/** The budget of one role's pods: a drain or an operator restart takes one member of it at a time. */
export function memberBudget(metadata: V1ObjectMeta, selector: Record<string, string>): V1PodDisruptionBudget {
  return { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } };
}

/** Applies every owned object that differs from the informers' copy, but the StatefulSets named in `skip` (being replaced for larger volumes). */
export async function applyOwned(applier: ChildApplier, owned: ManagedInformers, desired: OwnedObjects, namespace: string, skip: ReadonlySet<string> = new Set()): Promise<void> {
  const name = (o: { metadata?: V1ObjectMeta }) => o.metadata?.name ?? "";
  await applier.apply(desired.configMap, owned.configMaps.get(name(desired.configMap), namespace));
  for (const svc of desired.services) await applier.apply(svc, owned.services.get(name(svc), namespace));
  for (const sts of desired.statefulSets) if (!skip.has(name(sts))) await applier.apply(sts, owned.statefulSets.get(name(sts), namespace));
  for (const pdb of desired.budgets) await applier.apply(pdb, owned.budgets.get(name(pdb), namespace));
}
