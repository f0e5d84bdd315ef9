import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { parseQuantityBytes, quantityBytes } from "../capacity";

/**
 * On a claim: provision at least this much. The rescue sets it on a claim it re-creates, because a
 * StatefulSet makes the new claim from its template, which may be smaller than the grown volume
 * whose data is restored into it.
 */
export const MIN_CAPACITY = "storage.xlss.io/min-capacity";

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
  const min = pvc.metadata?.annotations?.[MIN_CAPACITY];
  if (min !== undefined && !(safeQuantityBytes(min) ?? 0)) return `annotation ${MIN_CAPACITY}: ${JSON.stringify(min)} is not a storage size (e.g. 10Gi)`;
  return undefined;
}

function safeQuantityBytes(q: string): number | undefined {
  const n = parseQuantityBytes(q);
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The size to provision for a claim: its request, or its MIN_CAPACITY annotation when that is larger. */
export function provisionSize(pvc: V1PersistentVolumeClaim): { bytes: number; quantity: string } {
  const request = pvc.spec?.resources?.requests?.storage ?? "0";
  const min = pvc.metadata?.annotations?.[MIN_CAPACITY];
  const minBytes = min === undefined ? undefined : safeQuantityBytes(min);
  const requestBytes = requestedBytes(pvc);
  return minBytes !== undefined && minBytes > requestBytes ? { bytes: minBytes, quantity: min! } : { bytes: requestBytes, quantity: request };
}

/** Bytes the claim asks for (its storage request; a limit, if any, is not honoured beyond it). */
export function requestedBytes(pvc: V1PersistentVolumeClaim): number {
  return quantityBytes(pvc.spec?.resources?.requests?.storage) ?? 0;
}

/** The deterministic name of the volume (and PV) of a claim: one per claim uid, whatever crashes. */
export function volumeNameFor(pvc: V1PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata?.uid}`;
}
