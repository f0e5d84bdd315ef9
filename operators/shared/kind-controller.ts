import type { KubernetesObject } from "@kubernetes/client-node";
import { Controller, type Reconciler, type Request } from "../../lib/k8s/controller";
import { Informer } from "../../lib/k8s/informer";
import type { OperatorContext } from "../kind";
import { controllerOf, LABELS, PAAS_GROUP, PAAS_VERSION } from "./labels";

/** A paas.xlss.io kind as its controller is wired: its plural, kind, app label, and reconcile. */
export interface KindWiring<T extends KubernetesObject> {
  /** Controller name in logs and metrics. */
  name: string;
  plural: string;
  kind: string;
  /** app.kubernetes.io/name of its objects. */
  app: string;
  reconciler: (resources: Informer<T>) => Reconciler;
}

/**
 * Adds a kind's controller to the manager: an informer of its resources (all namespaces), and a
 * controller reconciling a resource when it or anything it owns changes — owned objects through
 * their controller owner reference, pods and claims (owned by a StatefulSet, or by nobody) through their labels.
 */
export function setupKindController<T extends KubernetesObject>(ctx: OperatorContext, wiring: KindWiring<T>): void {
  const { clients, manager, owned } = ctx;
  const resources = manager.addInformer(
    new Informer<T>(
      clients.kc,
      {
        path: `/apis/${PAAS_GROUP}/${PAAS_VERSION}/${wiring.plural}`,
        list: async (s) => (await clients.custom.listClusterCustomObject({ group: PAAS_GROUP, version: PAAS_VERSION, plural: wiring.plural, ...s })) as { items: T[] },
      },
      ctx.log,
    ),
  );
  const owner = (obj: KubernetesObject): Request[] => {
    const ref = controllerOf(obj, wiring.kind);
    return ref ? [ref] : [];
  };
  const podOwner = (obj: KubernetesObject): Request[] => {
    const labels = obj.metadata?.labels ?? {};
    const instance = labels[LABELS.instance];
    return labels[LABELS.name] === wiring.app && instance && obj.metadata?.namespace ? [{ namespace: obj.metadata.namespace, name: instance }] : [];
  };
  manager.addController(
    new Controller({ name: wiring.name, concurrency: ctx.concurrency, log: ctx.log, reconcile: wiring.reconciler(resources) })
      .for(resources)
      .watches(owned.statefulSets, owner)
      .watches(owned.services, owner)
      .watches(owned.configMaps, owner)
      .watches(owned.budgets, owner)
      .watches(owned.pods, podOwner)
      .watches(owned.claims, podOwner),
  );
}
