import { describe, expect, it } from "vitest";
import type { XlssVolume } from "./api/types";
import { allocatedBytes, formatBytes, freeBytes, poolCapacityBytes } from "./capacity";

const GiB = 1024 ** 3;
const vol = (capacity: string, phase?: "Ready" | "Failed" | "Pending"): XlssVolume => ({
  metadata: { name: "v" },
  spec: { nodeName: "n", capacity, claimRef: { namespace: "a", name: "b", uid: "c" } },
  status: phase ? { phase } : undefined,
});

describe("pool capacity", () => {
  it("is the filesystem less the default 1Gi reserve", () => {
    expect(poolCapacityBytes(undefined, 100 * GiB)).toBe(99 * GiB);
  });
  it("is capped by spec.capacity and honours a custom reserve", () => {
    expect(poolCapacityBytes({ capacity: "10Gi" }, 100 * GiB)).toBe(10 * GiB);
    expect(poolCapacityBytes({ reserve: "50Gi" }, 100 * GiB)).toBe(50 * GiB);
    expect(poolCapacityBytes({ capacity: "80Gi", reserve: "30Gi" }, 100 * GiB)).toBe(70 * GiB);
  });
  it("is never negative", () => {
    expect(poolCapacityBytes({ reserve: "2Gi" }, GiB)).toBe(0);
  });
});

describe("allocatedBytes", () => {
  it("sums the sizes of live volumes and ignores failed ones", () => {
    expect(allocatedBytes([vol("1Gi", "Ready"), vol("512Mi"), vol("5Gi", "Failed")])).toBe(1.5 * GiB);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1536, "1.5 KiB"],
    [10 * GiB, "10 GiB"],
  ])("%d → %s", (n, s) => expect(formatBytes(n)).toBe(s));
});

describe("freeBytes", () => {
  const named = (name: string, capacity: string, phase?: "Ready" | "Failed") => ({ ...vol(capacity, phase), metadata: { name } });
  it("is the pool capacity less every reserving volume, or less all but one", () => {
    const volumes = [named("a", "1Gi", "Ready"), named("b", "2Gi", "Ready"), named("c", "4Gi", "Failed")];
    expect(freeBytes(10 * GiB, volumes)).toBe(7 * GiB);
    expect(freeBytes(10 * GiB, volumes, "b")).toBe(9 * GiB);
  });
  it("goes negative when the pool was shrunk below what is reserved", () => {
    expect(freeBytes(GiB, [named("a", "3Gi", "Ready")])).toBe(-2 * GiB);
  });
});
