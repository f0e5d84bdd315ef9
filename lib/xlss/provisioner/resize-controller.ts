import type { V1PersistentVolumeClaim, V1PersistentVolumeClaimStatus } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Counter } from "prom-client";
import { jsonPatch, mergePatch, type KubeClients } from "../../k8s/client";
import type { Reconciler, Request, Result } from "../../k8s/controller";
import { isNotFound } from "../../k8s/errors";
import { claimRef } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { registry } from "../../metrics";
import { PLURALS, PROVISIONER, STORAGE_GROUP, STORAGE_VERSION, type XlssVolume } from "../api/types";
import { formatBytes, freeBytes, quantityBytes } from "../capacity";
import type { ClaimReconcilerDeps } from "./claim-controller";
import { nodeLocks, poolRoom } from "./node-room";
import {
  CONTROLLER_RESIZE_IN_PROGRESS,
  CONTROLLER_RESIZE_INFEASIBLE,
  resizePlan,
  withoutResizeConditions,
} from "./resize-plan";

const resizes = new Counter({
  name: "xlss_volume_resizes_total",
  help: "Volume expansions by result: succeeded, or infeasible (the node's pool had no room; retried when room frees up).",
  labelNames: ["result"] as const,
  registers: [registry],
});

/** An infeasible resize is tried again at least this often (pool and volume events retry it sooner). */
const INFEASIBLE_RETRY_MS = 60_000;

/** The same caches and clients as provisioning: claims, classes, volumes and PVs. */
export type ResizeReconcilerDeps = ClaimReconcilerDeps;

/**
 * Volume expansion (Kubernetes' external-resizer, for a volume that is a directory): a bound claim of
 * an xlss StorageClass whose request exceeds its status.capacity grows when its node's pool has room.
 * Steps, each idempotent and re-derived from the objects, so a crash between any two converges:
 * mark the claim's status (allocatedResources, ControllerResizeInProgress, condition Resizing) and
 * record `Resizing`; raise the XlssVolume's `spec.capacity` under the provisioner's per-node lock
 * after a live room check (the reservation the pool, its CSIStorageCapacity and the usage check
 * count); raise the PV's `spec.capacity`; set the claim's status.capacity and clear the resize
 * status and conditions; record `VolumeResizeSuccessful`. No node-side step: a directory has no
 * file system to grow. Without room: `VolumeResizeFailed` with the figures,
 * `ControllerResizeInfeasible` and a ControllerResizeError condition, nothing else changed, tried
 * again when the node's pool or volumes change.
 */
export function resizeReconciler(deps: ResizeReconcilerDeps): Reconciler {
  return async (req, { log }) => {
    const pvc = deps.claims.get(req.name, req.namespace);
    const found = pvc && resizable(deps, pvc);
    if (!pvc || !found) return;
    const { vol } = found;
    let claim = pvc;
    const plan = resizePlan(pvc, vol.spec.capacity);
    if (plan.action === "none") return;
    const node = vol.spec.nodeName;
    const name = vol.metadata.name;

    if (plan.growthBytes > 0) {
      const taken = await nodeLocks.run(node, () => takeRoom(deps, pvc, vol, log));
      if ("result" in taken) return taken.result;
      claim = taken.pvc;
    }
    const pv = deps.persistentVolumes.get(name);
    if ((quantityBytes(pv?.spec?.capacity?.storage) ?? 0) < plan.targetBytes) {
      await deps.clients.core.patchPersistentVolume({ name, body: { spec: { capacity: { storage: plan.target } } } }, mergePatch);
    }
    await patchClaimStatus(deps.clients, claim, {
      capacity: { ...claim.status?.capacity, storage: plan.target },
      allocatedResources: { ...claim.status?.allocatedResources, storage: plan.target },
      allocatedResourceStatuses: { storage: null } as unknown as Record<string, string>,
      conditions: withoutResizeConditions(claim.status?.conditions),
    });
    resizes.inc({ result: "succeeded" });
    await deps.events.record(claimRef(pvc), {
      type: "Normal",
      reason: "VolumeResizeSuccessful",
      message: `volume ${name} on ${node} grown from ${formatBytes(plan.fromBytes)} to ${formatBytes(plan.targetBytes)}`,
    });
    log.info({ volume: name, node, from: plan.fromBytes, to: plan.targetBytes }, "volume resized");
  };
}

/** The claim's volume, when the claim is one of ours, bound, and its volume is in place and usable. */
function resizable(deps: ResizeReconcilerDeps, pvc: V1PersistentVolumeClaim): { vol: XlssVolume } | undefined {
  if (pvc.metadata?.deletionTimestamp || pvc.status?.phase !== "Bound" || !pvc.spec?.volumeName) return undefined;
  if (deps.classes.get(pvc.spec.storageClassName ?? "")?.provisioner !== PROVISIONER) return undefined;
  const vol = deps.volumes.get(pvc.spec.volumeName);
  const pv = deps.persistentVolumes.get(pvc.spec.volumeName);
  const uid = pvc.metadata?.uid;
  if (!vol || !pv || vol.spec.claimRef.uid !== uid || pv.spec?.claimRef?.uid !== uid) return undefined;
  // A volume being deleted, moved away by a rescue, or not (or no longer) usable is not grown.
  if (vol.metadata.deletionTimestamp || vol.spec.movedTo || vol.status?.phase !== "Ready") return undefined;
  return { vol };
}

/**
 * Under the node's lock: re-reads the pool and its volumes live and, if the growth fits, marks the
 * claim as resizing and raises the volume's size; otherwise marks the resize infeasible and says
 * why. Returns a result only when the resize cannot go on now.
 */
async function takeRoom(
  deps: ResizeReconcilerDeps,
  pvc: V1PersistentVolumeClaim,
  cached: XlssVolume,
  log: Logger,
): Promise<{ result: Result } | { pvc: V1PersistentVolumeClaim }> {
  const node = cached.spec.nodeName;
  const name = cached.metadata.name;
  const room = await poolRoom(deps.clients, node);
  const vol = room.volumes.find((v) => v.metadata.name === name);
  if (!vol) return { result: {} }; // Gone meanwhile; its events bring the claim back if there is anything left to do.
  const plan = resizePlan(pvc, vol.spec.capacity);
  if (plan.action === "none" || plan.growthBytes === 0) return { pvc }; // Grown already (a retry after a crash).
  const claim = `${pvc.metadata?.name}`;
  const from = formatBytes(quantityBytes(vol.spec.capacity) ?? 0);
  const to = formatBytes(plan.targetBytes);
  const free = room.capacityBytes === undefined ? undefined : freeBytes(room.capacityBytes, room.volumes);
  if (free === undefined || plan.growthBytes > free) {
    const message =
      free === undefined
        ? `node ${node} has not reported its storage pool yet; growing ${claim} from ${from} to ${to} waits for it`
        : `node ${node} has ${formatBytes(Math.max(0, free))} free, growing ${claim} from ${from} to ${to} needs ${formatBytes(plan.growthBytes)} more`;
    await markInfeasible(deps, pvc, plan.target, message);
    log.info({ volume: name, node, free, growth: plan.growthBytes }, "resize infeasible for now");
    return { result: { requeueAfterMs: INFEASIBLE_RETRY_MS } };
  }
  let claimNow = pvc;
  if (pvc.status?.allocatedResources?.storage !== plan.target || pvc.status?.allocatedResourceStatuses?.storage !== CONTROLLER_RESIZE_IN_PROGRESS) {
    claimNow = await patchClaimStatus(deps.clients, pvc, {
      allocatedResources: { ...pvc.status?.allocatedResources, storage: plan.target },
      allocatedResourceStatuses: { ...pvc.status?.allocatedResourceStatuses, storage: CONTROLLER_RESIZE_IN_PROGRESS },
      conditions: [
        ...withoutResizeConditions(pvc.status?.conditions),
        { type: "Resizing", status: "True", lastTransitionTime: new Date() },
      ],
    });
  }
  await deps.events.record(claimRef(pvc), {
    type: "Normal",
    reason: "Resizing",
    message: `growing volume ${name} on ${node} from ${from} to ${to}`,
  });
  // The test operation makes a concurrent change of the size fail (and the reconcile retry) rather than be overwritten.
  await deps.clients.custom.patchClusterCustomObject(
    {
      group: STORAGE_GROUP,
      version: STORAGE_VERSION,
      plural: PLURALS.volume,
      name,
      body: [
        { op: "test", path: "/spec/capacity", value: vol.spec.capacity },
        { op: "replace", path: "/spec/capacity", value: plan.target },
      ],
    },
    jsonPatch,
  );
  log.info({ volume: name, node, from: vol.spec.capacity, to: plan.target }, "volume size raised in its pool");
  return { pvc: claimNow };
}

async function markInfeasible(deps: ResizeReconcilerDeps, pvc: V1PersistentVolumeClaim, target: string, message: string): Promise<void> {
  const current = pvc.status?.conditions?.find((c) => c.type === "ControllerResizeError");
  const unchanged =
    pvc.status?.allocatedResourceStatuses?.storage === CONTROLLER_RESIZE_INFEASIBLE &&
    pvc.status?.allocatedResources?.storage === target &&
    current?.message === message;
  if (!unchanged) {
    await patchClaimStatus(deps.clients, pvc, {
      allocatedResources: { ...pvc.status?.allocatedResources, storage: target },
      allocatedResourceStatuses: { ...pvc.status?.allocatedResourceStatuses, storage: CONTROLLER_RESIZE_INFEASIBLE },
      conditions: [
        ...withoutResizeConditions(pvc.status?.conditions),
        { type: "ControllerResizeError", status: "True", lastTransitionTime: new Date(), reason: "PoolFull", message },
      ],
    });
    resizes.inc({ result: "infeasible" });
  }
  await deps.events.record(claimRef(pvc), { type: "Warning", reason: "VolumeResizeFailed", message });
}

/**
 * Merge-patches the claim's status subresource, conditional on the claim being as read (its
 * resourceVersion): a claim changed meanwhile makes the patch fail with 409 and the reconcile retry
 * on fresh data. `null` in a map removes that key.
 */
async function patchClaimStatus(
  clients: KubeClients,
  pvc: V1PersistentVolumeClaim,
  status: V1PersistentVolumeClaimStatus,
): Promise<V1PersistentVolumeClaim> {
  try {
    return await clients.core.patchNamespacedPersistentVolumeClaimStatus(
      {
        name: pvc.metadata?.name ?? "",
        namespace: pvc.metadata?.namespace ?? "",
        body: { metadata: { resourceVersion: pvc.metadata?.resourceVersion }, status },
      },
      mergePatch,
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return pvc;
  }
}

/**
 * The claims waiting to grow on `node` (request above status.capacity), for requeueing them when
 * the node's pool or volumes change: room may have freed up.
 */
export function claimsWaitingOn(claims: Informer<V1PersistentVolumeClaim>, volumes: Informer<XlssVolume>, node: string): Request[] {
  return volumes
    .list()
    .filter((v) => v.spec.nodeName === node)
    .flatMap((v) => {
      const pvc = claims.get(v.spec.claimRef.name, v.spec.claimRef.namespace);
      return pvc && resizePlan(pvc, v.spec.capacity).action === "grow" ? [{ namespace: v.spec.claimRef.namespace, name: v.spec.claimRef.name }] : [];
    });
}
