import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { MIN_CAPACITY, provisionSize, requestedBytes, unprovisionableReason, volumeNameFor } from "./claim-checks";

const claim = (spec: V1PersistentVolumeClaim["spec"]): V1PersistentVolumeClaim => ({
  metadata: { name: "data-kafka-0", namespace: "team-a", uid: "1a2b" },
  spec,
});
const ok = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } } };

describe("unprovisionableReason", () => {
  it("accepts a ReadWriteOnce filesystem claim with a size", () => {
    expect(unprovisionableReason(claim(ok))).toBeUndefined();
    expect(unprovisionableReason(claim({ ...ok, accessModes: ["ReadWriteOncePod"] }))).toBeUndefined();
  });
  it.each([
    [{ ...ok, accessModes: ["ReadWriteMany"] }, /ReadWriteMany is not supported/],
    [{ ...ok, accessModes: ["ReadWriteOnce", "ReadOnlyMany"] }, /ReadOnlyMany is not supported/],
    [{ ...ok, accessModes: [] }, /no access mode/],
    [{ ...ok, volumeMode: "Block" }, /Block is not supported/],
    [{ ...ok, dataSource: { kind: "PersistentVolumeClaim", name: "x" } }, /data source/],
    [{ ...ok, resources: { requests: { storage: "0" } } }, /no storage size/],
    [{ ...ok, resources: {} }, /no storage size/],
  ])("rejects %j", (spec, reason) => {
    expect(unprovisionableReason(claim(spec))).toMatch(reason);
  });
});

it("derives size and a deterministic volume name", () => {
  expect(requestedBytes(claim(ok))).toBe(10 * 1024 ** 3);
  expect(volumeNameFor(claim(ok))).toBe("pvc-1a2b");
});

it("provisions a re-created claim at least as large as its min-capacity annotation says, and refuses a bad one", () => {
  const annotated = (min: string): V1PersistentVolumeClaim => ({ ...claim({ ...ok, resources: { requests: { storage: "1Gi" } } }), metadata: { uid: "1a2b", annotations: { [MIN_CAPACITY]: min } } });
  expect(provisionSize(annotated("3Gi"))).toEqual({ bytes: 3 * 1024 ** 3, quantity: "3Gi" });
  expect(provisionSize(annotated("512Mi"))).toEqual({ bytes: 1024 ** 3, quantity: "1Gi" });
  expect(provisionSize(claim(ok))).toEqual({ bytes: 10 * 1024 ** 3, quantity: "10Gi" });
  expect(unprovisionableReason(annotated("3Gi"))).toBeUndefined();
  expect(unprovisionableReason(annotated("lots"))).toBe(`annotation ${MIN_CAPACITY}: "lots" is not a storage size (e.g. 10Gi)`);
});
