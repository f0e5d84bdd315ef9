import { quantityToScalar } from "@kubernetes/client-node/dist/util.js";
import type { XlssStoragePoolSpec, XlssVolume } from "./api/types";

/** Bytes of a Kubernetes quantity ("10Gi" → 10737418240); undefined stays undefined. */
export function quantityBytes(q: string | undefined): number | undefined {
  return q === undefined ? undefined : Number(quantityToScalar(q));
}

/** quantityBytes for text no API server has checked (an annotation, a size being compared): undefined for none or one that does not parse. */
export function parseQuantityBytes(q: string | undefined): number | undefined {
  try {
    return quantityBytes(q);
  } catch {
    return undefined;
  }
}

/** Human form of a byte count for messages ("1.5 GiB"). */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  let v = n;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

/** Default space of a node's filesystem that is never handed to volumes. */
export const DEFAULT_RESERVE = "1Gi";

/**
 * Bytes volumes may reserve in a pool: the filesystem's size less the reserve, further capped by
 * the pool's `spec.capacity` when an administrator set one. Never negative.
 */
export function poolCapacityBytes(spec: XlssStoragePoolSpec | undefined, filesystemBytes: number): number {
  const reserve = quantityBytes(spec?.reserve ?? DEFAULT_RESERVE) ?? 0;
  const cap = quantityBytes(spec?.capacity) ?? Infinity;
  return Math.max(0, Math.min(cap, filesystemBytes - reserve));
}

/** Bytes reserved by a node's volumes; a Failed volume holds nothing (it never got a directory). */
export function allocatedBytes(volumes: readonly XlssVolume[]): number {
  return volumes
    .filter((v) => v.status?.phase !== "Failed")
    .reduce((sum, v) => sum + (quantityBytes(v.spec.capacity) ?? 0), 0);
}

/**
 * Bytes a node's pool still has for volumes: its capacity less what its volumes reserve. `except`
 * leaves one volume out (a volume growing counts with its new size, not twice). May be negative
 * when an administrator shrank the pool below what is reserved.
 */
export function freeBytes(capacityBytes: number, volumes: readonly XlssVolume[], except?: string): number {
  return capacityBytes - allocatedBytes(except === undefined ? volumes : volumes.filter((v) => v.metadata.name !== except));
}
