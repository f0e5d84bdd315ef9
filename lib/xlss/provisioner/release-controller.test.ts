import { describe, expect, it } from "vitest";
import type { XlssFailover, XlssVolume } from "../api/types";
import { quarantineVerdict } from "./release-controller";

const now = Date.parse("2026-01-01T00:00:00Z");
const volume = (status: XlssVolume["status"], moved = true): XlssVolume => ({
  metadata: { name: "pvc-1" },
  spec: {
    nodeName: "n0",
    capacity: "1Gi",
    claimRef: { namespace: "a", name: "data-kafka-0", uid: "u" },
    ...(moved ? { movedTo: { node: "n1", failover: "a/kafka-0-1234", time: "2025-12-31T23:00:00Z" } } : {}),
  },
  status,
});
const failover = (phase: NonNullable<XlssFailover["status"]>["phase"]): XlssFailover => ({
  metadata: { name: "kafka-0-1234", namespace: "a" },
  spec: { podName: "kafka-0", failedNode: "n0" },
  status: { phase },
});

describe("quarantineVerdict", () => {
  it("releases a volume that was never moved", () => {
    expect(quarantineVerdict(volume({ phase: "Ready" }, false), undefined, now)).toEqual({ release: true });
  });
  it("keeps a moved volume its node's agent has not quarantined yet (the node is still gone)", () => {
    expect(quarantineVerdict(volume({ phase: "Ready" }), failover("Completed"), now)).toEqual({ release: false });
  });
  it("keeps it while the recovery is not confirmed, whatever the TTL says", () => {
    const v = volume({ phase: "Quarantined", quarantinedUntil: "2025-12-31T00:00:00Z" });
    expect(quarantineVerdict(v, failover("Restoring"), now)).toEqual({ release: false });
    expect(quarantineVerdict(v, undefined, now)).toEqual({ release: false });
  });
  it("waits out the TTL, then releases", () => {
    const v = volume({ phase: "Quarantined", quarantinedUntil: "2026-01-01T00:00:30Z" });
    expect(quarantineVerdict(v, failover("Completed"), now)).toEqual({ release: false, waitMs: 30_000 });
    expect(quarantineVerdict(v, failover("Completed"), now + 30_000)).toEqual({ release: true });
  });
  it("releases a moved volume at once when its node was removed from the cluster, once the recovery completed", () => {
    const v = volume({ phase: "Ready" });
    expect(quarantineVerdict(v, failover("Completed"), now, true)).toEqual({ release: true });
    expect(quarantineVerdict(v, failover("Restoring"), now, true)).toEqual({ release: false });
  });
});
