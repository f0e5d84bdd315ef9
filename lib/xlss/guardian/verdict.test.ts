import type { V1Lease, V1Node } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { nodeVerdict } from "./verdict";

const now = Date.parse("2026-12-04T12:00:00Z");
const ago = (s: number) => new Date(now - s * 1000);
const node = (ready: "True" | "False" | "Unknown", sinceS: number, taints: { key: string; effect: string }[] = []): V1Node => ({
  metadata: { name: "n1" },
  spec: { taints },
  status: { conditions: [{ type: "Ready", status: ready, lastTransitionTime: ago(sinceS) }] },
});
const lease = (renewedS: number, durationS = 20): V1Lease => ({ spec: { renewTime: ago(renewedS), leaseDurationSeconds: durationS } });
const policy = { windowMs: 60_000 };

describe("nodeVerdict", () => {
  it("leaves a Ready node alone", () => {
    expect(nodeVerdict(node("True", 500), lease(1), policy, now).gone).toBe(false);
  });

  it("waits out the window, and says when to look again", () => {
    const v = nodeVerdict(node("Unknown", 20), lease(100), policy, now);
    expect(v).toMatchObject({ gone: false, recheckInMs: 40_000 });
    expect(v.reason).toMatch(/inside the 60s window/);
  });

  it("treats a flap as a fresh start: the window counts from the last transition", () => {
    // Down for long before, Ready again for a moment, down again 10 s ago: not gone.
    expect(nodeVerdict(node("Unknown", 10), lease(100), policy, now).gone).toBe(false);
  });

  it("does not act while the node's agent still renews its heartbeat (a partition, not a dead machine)", () => {
    const v = nodeVerdict(node("Unknown", 120), lease(5, 20), policy, now);
    expect(v).toMatchObject({ gone: false, recheckInMs: 15_000 });
  });

  it("declares the node gone when the window passed and the heartbeat expired or never existed", () => {
    expect(nodeVerdict(node("Unknown", 120), lease(90, 20), policy, now)).toMatchObject({ gone: true });
    expect(nodeVerdict(node("False", 61), undefined, policy, now).reason).toMatch(/heartbeat is missing/);
  });

  it("acts at once on the out-of-service taint, whatever the timings", () => {
    const v = nodeVerdict(node("Unknown", 1, [{ key: "node.kubernetes.io/out-of-service", effect: "NoExecute" }]), lease(0), policy, now);
    expect(v).toMatchObject({ gone: true });
  });

  it("leaves a deleted node to Kubernetes' pod garbage collector", () => {
    expect(nodeVerdict(undefined, undefined, policy, now).gone).toBe(false);
  });
});
