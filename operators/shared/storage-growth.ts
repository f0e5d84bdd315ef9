import type { CoreV1Event, V1PersistentVolumeClaim, V1StatefulSet } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { mergePatch, type KubeClients } from "../../lib/k8s/client";
import { apiMessage, isConflict, isNotFound } from "../../lib/k8s/errors";
import type { EventRecorder, EventTarget } from "../../lib/k8s/events";
import { parseQuantityBytes } from "../../lib/xlss/capacity";
import type { ManagedInformers } from "./informers";
import type { OwnedObjects } from "./owned-objects";

// Growing the volumes of a cluster's StatefulSets, for every kind (each reconciler calls
// reconcileStorageGrowth before applying its owned objects). Kubernetes keeps a StatefulSet's
// volumeClaimTemplates immutable (Kubernetes 1.36 has no feature gate that lifts it), so growing is:
//   1. raise spec.resources.requests.storage of every existing claim of the StatefulSet (merge
//      patch); the xlss provisioner grows the volume and sets the claim's status.capacity;
//   2. delete the StatefulSet with propagationPolicy Orphan (pods and claims stay, running) and,
//      once it is gone, create it again with the new template (the usual apply); the new
//      StatefulSet adopts the pods, whose template and restart hash are unchanged, so nothing restarts;
//   3. report Progressing/Resizing until every claim's capacity reaches the size, or Degraded when
//      a claim's resize failed.
// Every step is derived from observed state: a pass interrupted between the delete and the create
// creates the StatefulSet at the next pass (it is simply missing then).

/** When a claim's request was raised by the operator (a VolumeResizeFailed Event older than that is about an earlier resize). */
export const RESIZE_REQUESTED_AT = "paas.xlss.io/resize-requested-at";

/** The reason of the Event the provisioner records on a claim whose volume could not grow. */
export const RESIZE_FAILED_REASON = "VolumeResizeFailed";

/** While volumes grow, look again this soon (failure Events are read, not watched). */
export const RESIZE_POLL_MS = 15_000;

/** The shortest of the delays given (undefined: none). */
export const soonest = (...delays: (number | undefined)[]): number | undefined => {
  const given = delays.filter((d): d is number => d !== undefined);
  return given.length ? Math.min(...given) : undefined;
};

/**
 * The `data` volume claim template of a StatefulSet (its pods mount the volume by that name).
 * Only a larger `size` can follow later: the template is immutable, so growing it is this file's work.
 */
export function dataClaimTemplate(labels: Record<string, string>, storageClass: string, size: string): V1PersistentVolumeClaim {
  return {
    metadata: { name: "data", labels },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: storageClass, resources: { requests: { storage: size } } },
  };
}

/** Whether claim `name` belongs to template `template` of StatefulSet `sts` (`<template>-<sts>-<ordinal>`). */
export function isClaimOf(name: string, template: string, sts: string): boolean {
  const prefix = `${template}-${sts}-`;
  return name.startsWith(prefix) && /^(0|[1-9][0-9]*)$/.test(name.slice(prefix.length));
}

/** The claims of one volume claim template of a StatefulSet, retained claims of scaled-down ordinals included, by ordinal. */
export function claimsOf(claims: readonly V1PersistentVolumeClaim[], template: string, sts: string): V1PersistentVolumeClaim[] {
  const ordinal = (c: V1PersistentVolumeClaim) => Number((c.metadata?.name ?? "").slice(`${template}-${sts}-`.length));
  return claims.filter((c) => isClaimOf(c.metadata?.name ?? "", template, sts)).sort((a, b) => ordinal(a) - ordinal(b));
}

const templateSize = (sts: V1StatefulSet | undefined, template: string): string | undefined =>
  sts?.spec?.volumeClaimTemplates?.find((t) => t.metadata?.name === template)?.spec?.resources?.requests?.storage;

/** The templates of `desired` whose size is larger than that of `current` (the StatefulSet as it is). */
export function grownTemplates(desired: V1StatefulSet, current: V1StatefulSet | undefined): { template: string; size: string; from?: string }[] {
  if (!current) return [];
  return (desired.spec?.volumeClaimTemplates ?? []).flatMap((t) => {
    const template = t.metadata?.name ?? "";
    const size = t.spec?.resources?.requests?.storage ?? "";
    const from = templateSize(current, template);
    const want = parseQuantityBytes(size);
    const have = parseQuantityBytes(from);
    return want !== undefined && have !== undefined && want > have ? [{ template, size, from }] : [];
  });
}

/** Whether a claim's request is below `size` (and so needs raising). A claim not bound yet cannot be raised: it is left. */
export function needsRaise(claim: V1PersistentVolumeClaim, size: string): boolean {
  if (claim.metadata?.deletionTimestamp || claim.status?.phase !== "Bound") return false;
  const requested = parseQuantityBytes(claim.spec?.resources?.requests?.storage);
  const want = parseQuantityBytes(size);
  return requested !== undefined && want !== undefined && requested < want;
}

/** A claim's growth as observed: done once status.capacity reaches the size; failed with the reason when it says or an Event said so. */
export interface ClaimGrowth {
  name: string;
  capacity?: string;
  done: boolean;
  failed?: string;
}

/**
 * How claim `claim` is doing in growing to `size`. It failed when a VolumeResizeFailed Event about
 * it is not older than the operator's request (`events`: the namespace's VolumeResizeFailed Events;
 * the newest one's message is the reason), or when the API server's resize status says infeasible
 * (allocatedResourceStatuses, with the ControllerResizeError/NodeResizeError condition's message
 * when there is one).
 */
export function claimGrowth(claim: V1PersistentVolumeClaim, size: string, events: readonly CoreV1Event[]): ClaimGrowth {
  const name = claim.metadata?.name ?? "";
  const capacity = claim.status?.capacity?.storage;
  const have = parseQuantityBytes(capacity);
  const want = parseQuantityBytes(size);
  const done = have !== undefined && want !== undefined && have >= want;
  if (done) return { name, capacity, done };
  const state = claim.status?.allocatedResourceStatuses?.storage ?? "";
  const errorCondition = claim.status?.conditions?.find((c) => (c.type === "ControllerResizeError" || c.type === "NodeResizeError") && c.status === "True");
  const requestedAt = Date.parse(claim.metadata?.annotations?.[RESIZE_REQUESTED_AT] ?? "");
  const failures = events
    .filter((e) => e.involvedObject?.name === name && (!e.involvedObject.uid || e.involvedObject.uid === claim.metadata?.uid) && e.reason === RESIZE_FAILED_REASON)
    .map((e) => ({ e, at: eventTime(e) }))
    // Events carry whole seconds: one in the same second as the request counts.
    .filter(({ at }) => Number.isNaN(requestedAt) || at >= requestedAt - 1000)
    .sort((a, b) => b.at - a.at);
  const latest = failures[0]?.e;
  if (latest) return { name, capacity, done, failed: latest.message || RESIZE_FAILED_REASON };
  if (state.endsWith("Infeasible")) return { name, capacity, done, failed: errorCondition?.message || `the resize is infeasible (${state})` };
  return { name, capacity, done };
}

const eventTime = (e: CoreV1Event): number =>
  new Date(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? 0).getTime();

/** The growth of one StatefulSet's volumes. */
export interface SetGrowth {
  statefulSet: string;
  size: string;
  claims: ClaimGrowth[];
}

/** What the status says about growing volumes: the Progressing message while they grow, the Degraded message when one failed. */
export interface StorageGrowthStatus {
  progressing?: string;
  failed?: string;
}

/**
 * "growing 3 volumes of orders-broker from 1Gi to 3Gi: 2 done", one clause per StatefulSet still
 * growing, and one for the StatefulSets `replacing` (deleted, not yet created again).
 */
export function growthStatus(sets: readonly SetGrowth[], replacing: readonly string[] = []): StorageGrowthStatus {
  const growing = sets.filter((s) => s.claims.some((c) => !c.done));
  const recreating = replacing.length ? [`re-creating StatefulSet ${replacing.join(", ")} with the larger volumes (pods keep running)`] : [];
  if (!growing.length) return recreating.length ? { progressing: recreating[0] } : {};
  const clause = (s: SetGrowth) => {
    const from = [...new Set(s.claims.filter((c) => !c.done && c.capacity).map((c) => c.capacity!))].sort((a, b) => (parseQuantityBytes(a) ?? 0) - (parseQuantityBytes(b) ?? 0));
    const count = s.claims.length;
    return `growing ${count} volume${count === 1 ? "" : "s"} of ${s.statefulSet}${from.length ? ` from ${from.join(", ")}` : ""} to ${s.size}: ${s.claims.filter((c) => c.done).length} done`;
  };
  const failed = growing.flatMap((s) => s.claims.filter((c) => c.failed).map((c) => `${c.name} could not grow to ${s.size}: ${c.failed}`));
  return { progressing: [...growing.map(clause), ...recreating].join("; "), ...(failed.length ? { failed: failed.join("; ") } : {}) };
}

export interface StorageGrowthDeps {
  clients: KubeClients;
  owned: ManagedInformers;
  events: EventRecorder;
}

/** What a reconciler does with the outcome. */
export interface StorageGrowth {
  /** StatefulSets not to apply in this pass (being replaced, or their claims could not be raised). */
  skip: Set<string>;
  status: StorageGrowthStatus;
  /** Look again this soon (volumes growing, or a StatefulSet being replaced). */
  requeueAfterMs?: number;
}

/**
 * One pass of growing the volumes of `desired`'s StatefulSets in `namespace` (see the top of this
 * file); `target` is the resource Events are recorded on. Call before applyOwned, passing `skip`.
 */
export async function reconcileStorageGrowth(
  deps: StorageGrowthDeps,
  desired: OwnedObjects,
  namespace: string,
  target: EventTarget,
  log: Logger,
): Promise<StorageGrowth> {
  const skip = new Set<string>();
  let requeueAfterMs: number | undefined;
  const requeue = (ms: number) => (requeueAfterMs = Math.min(requeueAfterMs ?? ms, ms));
  const claims = deps.owned.claims.list(namespace);
  const sets: { statefulSet: string; size: string; claims: V1PersistentVolumeClaim[] }[] = [];
  const raiseErrors: string[] = [];
  // StatefulSets deleted to be created again: the cluster is not Running until they exist again.
  const replacing: string[] = [];

  for (const sts of desired.statefulSets) {
    const name = sts.metadata?.name ?? "";
    const current = deps.owned.statefulSets.get(name, namespace);
    if (current?.metadata?.deletionTimestamp) {
      // Orphan-deleted for a resize: the garbage collector is releasing its pods and claims. It is
      // created again, with the new template, once it is gone.
      skip.add(name);
      replacing.push(name);
      requeue(1000);
      continue;
    }
    const grown = grownTemplates(sts, current);
    let raised = true;
    for (const t of sts.spec?.volumeClaimTemplates ?? []) {
      const template = t.metadata?.name ?? "";
      const size = t.spec?.resources?.requests?.storage ?? "";
      const mine = claimsOf(claims, template, name);
      for (const claim of mine.filter((c) => needsRaise(c, size))) {
        try {
          await raiseClaim(deps.clients, claim, size);
          log.info({ claim: claim.metadata?.name, size }, "raised the claim's storage request");
        } catch (err) {
          if (isNotFound(err)) continue;
          raised = false;
          raiseErrors.push(`${claim.metadata?.name} could not be raised to ${size}: ${apiMessage(err)}`);
        }
      }
      // Claims grow from the moment their request is raised (the template may still be the old one);
      // only claims with a volume count (a pending claim gets its volume at its requested size).
      const withVolumes = mine.filter((c) => !c.metadata?.deletionTimestamp && c.status?.capacity?.storage !== undefined);
      if (withVolumes.length) sets.push({ statefulSet: name, size, claims: withVolumes });
    }
    if (!grown.length) continue;
    // The template is immutable: the apply would be refused. Replace the StatefulSet once its claims are raised.
    skip.add(name);
    if (!raised) continue;
    await orphanDelete(deps.clients, current!);
    replacing.push(name);
    const what = grown.map((g) => `${g.template} from ${g.from} to ${g.size}`).join(", ");
    log.info({ statefulSet: name, what }, "StatefulSet deleted with its pods and claims orphaned, to be created again with larger volumes");
    await deps.events.record(target, {
      type: "Normal",
      reason: "ResizingVolumes",
      message: `growing the volumes of ${name} (${what}): claims raised; the StatefulSet is re-created with the new size, its pods keep running`,
    });
    requeue(1000);
  }

  // Progress of every claim that has not reached its size yet, with failures from Events.
  const growing = sets.some((s) => s.claims.some((c) => !claimGrowth(c, s.size, []).done));
  const events = growing ? await resizeFailureEvents(deps.clients, namespace, log) : [];
  const observed: SetGrowth[] = sets.map((s) => ({ statefulSet: s.statefulSet, size: s.size, claims: s.claims.map((c) => claimGrowth(c, s.size, events)) }));
  const status = growthStatus(observed, replacing);
  if (raiseErrors.length) status.failed = [status.failed, ...raiseErrors].filter(Boolean).join("; ");
  if (status.progressing || raiseErrors.length) requeue(RESIZE_POLL_MS);
  return { skip, status, ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}) };
}

async function raiseClaim(clients: KubeClients, claim: V1PersistentVolumeClaim, size: string): Promise<void> {
  await clients.core.patchNamespacedPersistentVolumeClaim(
    {
      name: claim.metadata?.name ?? "",
      namespace: claim.metadata?.namespace ?? "",
      body: {
        metadata: { annotations: { [RESIZE_REQUESTED_AT]: new Date().toISOString() } },
        spec: { resources: { requests: { storage: size } } },
      },
    },
    mergePatch,
  );
}

/** Deletes the StatefulSet (that very one: uid precondition) leaving its pods and claims running. */
async function orphanDelete(clients: KubeClients, sts: V1StatefulSet): Promise<void> {
  try {
    await clients.apps.deleteNamespacedStatefulSet({
      name: sts.metadata?.name ?? "",
      namespace: sts.metadata?.namespace ?? "",
      body: { propagationPolicy: "Orphan", preconditions: { uid: sts.metadata?.uid ?? "" } },
    });
  } catch (err) {
    // Gone already, or replaced since the cache saw it (a later pass looks again).
    if (!isNotFound(err) && !isConflict(err)) throw err;
  }
}

async function resizeFailureEvents(clients: KubeClients, namespace: string, log: Logger): Promise<CoreV1Event[]> {
  try {
    const list = await clients.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=PersistentVolumeClaim,reason=${RESIZE_FAILED_REASON}` });
    return list.items;
  } catch (err) {
    log.warn({ err: apiMessage(err) }, "could not list the claims' resize Events");
    return [];
  }
}
