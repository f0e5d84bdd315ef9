import type { V1Pod, V1PodDisruptionBudget } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { budgetOnlyCountsRecreatedPods } from "./eviction";

const evictedAt = new Date("2026-06-01T12:00:00Z");
const pod = (name: string, createdSecondsAfterEviction: number, ready = true): [string, V1Pod] => [
  name,
  {
    metadata: { name, creationTimestamp: new Date(evictedAt.getTime() + createdSecondsAfterEviction * 1000) },
    status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  },
];
const budget = (disrupted: string[]): V1PodDisruptionBudget => ({
  status: {
    disruptedPods: Object.fromEntries(disrupted.map((n) => [n, evictedAt])),
    currentHealthy: 2,
    desiredHealthy: 2,
    disruptionsAllowed: 0,
    expectedPods: 3,
  },
});

describe("budgetOnlyCountsRecreatedPods", () => {
  it.each([
    { name: "the evicted pod is back under its name and ready", disrupted: ["b-2"], pods: [pod("b-2", 3)], want: true },
    { name: "the replacement is not ready yet", disrupted: ["b-2"], pods: [pod("b-2", 3, false)], want: false },
    { name: "the evicted pod is still the old one (not deleted yet)", disrupted: ["b-2"], pods: [pod("b-2", -600)], want: false },
    { name: "the evicted pod is gone and not re-created", disrupted: ["b-2"], pods: [], want: false },
    { name: "one of two records is a real disruption", disrupted: ["b-2", "b-1"], pods: [pod("b-2", 3), pod("b-1", -600)], want: false },
    { name: "nothing recorded: the budget refuses for real", disrupted: [], pods: [pod("b-2", 3)], want: false },
  ])("$name", ({ disrupted, pods, want }) => {
    expect(budgetOnlyCountsRecreatedPods(budget(disrupted), new Map(pods))).toBe(want);
  });
});
