import type { V1PersistentVolumeClaim, V1PersistentVolumeClaimCondition } from "@kubernetes/client-node";
import { quantityBytes } from "../capacity";

/** allocatedResourceStatuses values Kubernetes' resizers use (KEP 1790, GA in 1.34). */
export const CONTROLLER_RESIZE_IN_PROGRESS = "ControllerResizeInProgress";
export const CONTROLLER_RESIZE_INFEASIBLE = "ControllerResizeInfeasible";

/** Claim conditions of a resize; all are removed when it has finished. */
export const RESIZE_CONDITIONS = new Set(["Resizing", "FileSystemResizePending", "ControllerResizeError", "NodeResizeError"]);

/** What a bound claim's volume needs: nothing, or to grow to `target` (a quantity). */
export type ResizePlan =
  | { action: "none" }
  | {
      action: "grow";
      /** The size to reach, as a quantity string (the claim's request, or the volume's size if larger). */
      target: string;
      targetBytes: number;
      /** Bytes the volume's pool must still give (0 when the volume already has the size). */
      growthBytes: number;
      /** The claim's current status.capacity in bytes. */
      fromBytes: number;
    };

/**
 * Decides a resize from the claim and its volume (pure). The target is the larger of the claim's
 * request and the volume's size: a volume grown before a crash (or whose claim's request was lowered
 * after a failed attempt, which Kubernetes allows to any size above status.capacity) is never shrunk, the rest
 * of the bookkeeping (PV, claim status) catches up with it. Nothing to do once status.capacity has
 * the target.
 */
export function resizePlan(pvc: V1PersistentVolumeClaim, volumeCapacity: string): ResizePlan {
  const requested = pvc.spec?.resources?.requests?.storage;
  const requestBytes = quantityBytes(requested) ?? 0;
  const volumeBytes = quantityBytes(volumeCapacity) ?? 0;
  const fromBytes = quantityBytes(pvc.status?.capacity?.storage) ?? 0;
  const [target, targetBytes] = requestBytes > volumeBytes ? [requested!, requestBytes] : [volumeCapacity, volumeBytes];
  if (targetBytes <= fromBytes) return { action: "none" };
  return { action: "grow", target, targetBytes, growthBytes: Math.max(0, targetBytes - volumeBytes), fromBytes };
}

/** The claim's conditions without those of a resize (what Kubernetes' resizer leaves when done). */
export function withoutResizeConditions(conditions: readonly V1PersistentVolumeClaimCondition[] | undefined): V1PersistentVolumeClaimCondition[] {
  return (conditions ?? []).filter((c) => !RESIZE_CONDITIONS.has(c.type));
}
