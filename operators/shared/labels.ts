import type { V1OwnerReference } from "@kubernetes/client-node";

/** The field manager of every server-side apply the operators make, and their managed-by label value. */
export const OPERATORS = "xlss-operators";

export const PAAS_GROUP = "paas.xlss.io";
export const PAAS_VERSION = "v1alpha1";
export const PAAS_API_VERSION = `${PAAS_GROUP}/${PAAS_VERSION}`;

/** The recommended app.kubernetes.io labels; `name` is the middleware (kafka, redis), `instance` the resource. */
export const LABELS = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  managedBy: "app.kubernetes.io/managed-by",
  version: "app.kubernetes.io/version",
} as const;

export const ANNOTATIONS = {
  /** Hash of the object the operator last applied: an unchanged desired object is not sent again. */
  appliedHash: "paas.xlss.io/applied-hash",
  /** Hash of a role's generated configuration, on its pod template: a config change changes the template. */
  configHash: "paas.xlss.io/config-hash",
  /** Hash of everything in a pod template that needs a restart to take effect (not the backup policy). */
  restartHash: "paas.xlss.io/restart-hash",
} as const;

/** Server-side selector of everything the operators create (their informers watch only that). */
export const MANAGED_SELECTOR = `${LABELS.managedBy}=${OPERATORS}`;

/** The labels that select one role's pods of one resource; never change them (selectors are immutable). */
export function selectorLabels(app: string, instance: string, component: string): Record<string, string> {
  return { [LABELS.name]: app, [LABELS.instance]: instance, [LABELS.component]: component };
}

/** Labels of every object made for `instance`. */
export function objectLabels(app: string, instance: string, component?: string): Record<string, string> {
  return {
    [LABELS.name]: app,
    [LABELS.instance]: instance,
    ...(component ? { [LABELS.component]: component } : {}),
    [LABELS.managedBy]: OPERATORS,
  };
}

/**
 * The controller owner reference to a paas.xlss.io resource: garbage collection deletes what the
 * resource owns when it is deleted, and `blockOwnerDeletion` keeps a foreground deletion waiting
 * until the owned objects are gone.
 */
export function ownerReference(owner: { kind: string; metadata: { name: string; uid?: string } }): V1OwnerReference {
  return {
    apiVersion: PAAS_API_VERSION,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The resource (namespace/name) of `kind` that controls an object, from its owner references. */
export function controllerOf(
  obj: { metadata?: { namespace?: string; ownerReferences?: V1OwnerReference[] } },
  kind: string,
): { namespace: string; name: string } | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind && r.apiVersion === PAAS_API_VERSION);
  return ref && obj.metadata?.namespace ? { namespace: obj.metadata.namespace, name: ref.name } : undefined;
}
