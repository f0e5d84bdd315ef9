import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { resizePlan, withoutResizeConditions } from "./resize-plan";

const GiB = 1024 ** 3;
const claim = (request: string, capacity?: string): V1PersistentVolumeClaim => ({
  spec: { resources: { requests: { storage: request } } },
  status: capacity ? { phase: "Bound", capacity: { storage: capacity } } : { phase: "Bound" },
});

describe("resizePlan", () => {
  it("has nothing to do while the request is what the claim has", () => {
    expect(resizePlan(claim("1Gi", "1Gi"), "1Gi")).toEqual({ action: "none" });
    expect(resizePlan(claim("1024Mi", "1Gi"), "1Gi")).toEqual({ action: "none" });
  });

  it("grows to the request, taking the difference from the pool", () => {
    expect(resizePlan(claim("3Gi", "1Gi"), "1Gi")).toEqual({ action: "grow", target: "3Gi", targetBytes: 3 * GiB, growthBytes: 2 * GiB, fromBytes: GiB });
  });

  it("after a crash that left the volume grown: catches up without taking room again", () => {
    expect(resizePlan(claim("3Gi", "1Gi"), "3Gi")).toEqual({ action: "grow", target: "3Gi", targetBytes: 3 * GiB, growthBytes: 0, fromBytes: GiB });
  });

  it("never shrinks a volume: a request lowered after the volume grew ends at the volume's size", () => {
    // 1Gi → 5Gi raised the volume, then the user lowered the request to 3Gi (allowed while above status.capacity).
    expect(resizePlan(claim("3Gi", "1Gi"), "5Gi")).toMatchObject({ action: "grow", target: "5Gi", growthBytes: 0 });
  });

  it("a claim without status.capacity counts from zero (not a case a bound claim has)", () => {
    expect(resizePlan(claim("1Gi"), "1Gi")).toMatchObject({ action: "grow", target: "1Gi", growthBytes: 0, fromBytes: 0 });
  });
});

describe("withoutResizeConditions", () => {
  it("drops the resize conditions and keeps the others", () => {
    const kept = { type: "ModifyingVolume", status: "True" };
    expect(
      withoutResizeConditions([
        { type: "Resizing", status: "True" },
        { type: "ControllerResizeError", status: "True", message: "no room" },
        { type: "FileSystemResizePending", status: "True" },
        kept,
      ]),
    ).toEqual([kept]);
    expect(withoutResizeConditions(undefined)).toEqual([]);
  });
});
