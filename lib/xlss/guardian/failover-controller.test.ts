import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { XlssFailover } from "../api/types";
import { readyOutcome } from "./failover-controller";

const record = (phase: NonNullable<XlssFailover["status"]>["phase"], newNode?: string): XlssFailover => ({
  metadata: { name: "kafka-1-abc", namespace: "a", creationTimestamp: new Date("2026-01-01T00:01:00Z") },
  spec: { podName: "kafka-1", failedNode: "n0" },
  status: {
    phase,
    newNode,
    stages: [
      { name: "Cleanup", startTime: "2026-01-01T00:01:00Z", completionTime: "2026-01-01T00:01:01Z" },
      { name: "Restore", startTime: "2026-01-01T00:01:02Z", completionTime: "2026-01-01T00:01:30Z" },
    ],
  },
});
const pod = (node: string, created = "2026-01-01T00:01:02Z"): V1Pod => ({ metadata: { name: "kafka-1", creationTimestamp: new Date(created) }, spec: { nodeName: node, containers: [] } });

describe("readyOutcome", () => {
  it("closes a rescue once the pod is Ready on its new node, the Ready stage starting at the restore's end", () => {
    expect(readyOutcome(record("Starting", "n1"), pod("n1"))).toEqual({ from: "2026-01-01T00:01:30Z", message: "" });
    expect(readyOutcome(record("Starting", "n1"), pod("n2"))).toBeUndefined();
    expect(readyOutcome(record("Restoring", "n1"), pod("n1"))).toBeUndefined();
  });
  it("closes an incident whose node came back before anything moved: the replacement runs there", () => {
    expect(readyOutcome(record("WaitingForBackup"), pod("n0"))?.message).toMatch(/node n0 came back before the data was moved/);
    expect(readyOutcome(record("Rescheduling"), pod("n0"))?.from).toBe("2026-01-01T00:01:01Z");
  });
  it("never counts the failed pod itself, which sat on that node before the record", () => {
    expect(readyOutcome(record("Rescheduling"), pod("n0", "2025-12-31T00:00:00Z"))).toBeUndefined();
  });
});
