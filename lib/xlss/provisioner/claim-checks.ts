import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { quantityBytes } from "../capacity";

/** Access modes a node-local volume can honour. */
const LOCAL_ACCESS_MODES = new Set(["ReadWriteOnce", "ReadWriteOncePod"]);

/**
 * Why a claim can never be provisioned as an xlss local volume, on any node; undefined when it can.
 * (The API server already rejects claims without a size or with a malformed name.)
 */
export function unprovisionableReason(pvc: V1PersistentVolumeClaim): string | undefined {
  const modes = pvc.spec?.accessModes ?? [];
  const unsupported = modes.filter((m) => !LOCAL_ACCESS_MODES.has(m));
  if (modes.length === 0) return "the claim names no access mode; xlss-local volumes support ReadWriteOnce and ReadWriteOncePod";
  if (unsupported.length > 0) {
    return `access mode ${unsupported.join(", ")} is not supported: an xlss-local volume lives on one node's disk (use ReadWriteOnce)`;
  }
  if (pvc.spec?.volumeMode === "Block") return "volumeMode Block is not supported: xlss-local volumes are directories (use Filesystem)";
  if (pvc.spec?.dataSource || pvc.spec?.dataSourceRef) {
    return "cloning or populating from a data source is not supported; restore from a backup instead";
  }
  const size = quantityBytes(pvc.spec?.resources?.requests?.storage);
  if (!size || size <= 0) return "the claim requests no storage size (spec.resources.requests.storage)";
  return undefined;
}

/** Bytes the claim asks for (its storage request; a limit, if any, is not honoured beyond it). */
export function requestedBytes(pvc: V1PersistentVolumeClaim): number {
  return quantityBytes(pvc.spec?.resources?.requests?.storage) ?? 0;
}

/** The deterministic name of the volume (and PV) of a claim: one per claim uid, whatever crashes. */
export function volumeNameFor(pvc: V1PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata?.uid}`;
}
