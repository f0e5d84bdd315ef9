import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { QueuedPodInfo } from "./framework/interfaces";
import { prioritySort } from "./plugins/priority-sort";
import { backoffMs, SchedulingQueue } from "./queue";

const pod = (name: string, priority = 0): V1Pod => ({ metadata: { name, namespace: "ns" }, spec: { priority, containers: [] } });
const info = (name: string, priority: number, timestamp: number): QueuedPodInfo => ({ pod: pod(name, priority), timestamp, attempts: 0 });

describe("PrioritySort", () => {
  it.each([
    ["higher priority first", info("a", 10, 2000), info("b", 0, 1000), true],
    ["lower priority later, however long it waited", info("a", 0, 1000), info("b", 10, 2000), false],
    ["same priority: the one queued earlier first", info("a", 5, 1000), info("b", 5, 2000), true],
    ["same priority, queued later", info("a", 5, 2000), info("b", 5, 1000), false],
    ["equal: neither first", info("a", 5, 1000), info("b", 5, 1000), false],
  ])("%s", (_name, a, b, less) => {
    expect(prioritySort.less(a, b)).toBe(less);
  });
});

describe("SchedulingQueue", () => {
  it("hands out pods in the QueueSort plugin's order, never the same pod twice", async () => {
    const q = new SchedulingQueue(prioritySort.less);
    q.add(pod("first"));
    q.add(pod("second"));
    q.add(pod("urgent", 10));
    expect((await q.pop())?.metadata?.name).toBe("urgent");
    expect((await q.pop())?.metadata?.name).toBe("first");
    q.moveAllToActive();
    expect((await q.pop())?.metadata?.name).toBe("second");
    q.close();
    expect(await q.pop()).toBeUndefined();
  });

  it("takes its order from the QueueSort plugin it is given", async () => {
    const byName = (a: QueuedPodInfo, b: QueuedPodInfo) => (a.pod.metadata?.name ?? "") < (b.pod.metadata?.name ?? "");
    const q = new SchedulingQueue(byName);
    for (const name of ["c", "a", "b"]) q.add(pod(name));
    expect([(await q.pop())?.metadata?.name, (await q.pop())?.metadata?.name, (await q.pop())?.metadata?.name]).toEqual(["a", "b", "c"]);
  });

  it("parks an unschedulable pod until the cluster changes, then retries it after its backoff", async () => {
    const q = new SchedulingQueue(prioritySort.less);
    const p = pod("p");
    q.add(p);
    await q.pop();
    q.requeue(p, true);
    const next = q.pop();
    let got: V1Pod | undefined;
    void next.then((x) => (got = x));
    await new Promise((r) => setTimeout(r, 1200));
    expect(got).toBeUndefined();
    q.moveAllToActive();
    expect((await next)?.metadata?.name).toBe("p");
  });

  it("backs off 1 s doubling to 10 s", () => {
    expect([1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
