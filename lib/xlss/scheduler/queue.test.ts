import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { backoffMs, SchedulingQueue } from "./queue";

const pod = (name: string, priority = 0, created = "2026-12-04T10:00:00Z"): V1Pod => ({
  metadata: { name, namespace: "ns", creationTimestamp: new Date(created) },
  spec: { priority, containers: [] },
});

describe("SchedulingQueue", () => {
  it("hands out the highest priority first, then the oldest, never the same pod twice", async () => {
    const q = new SchedulingQueue();
    q.add(pod("late", 0, "2026-12-04T11:00:00Z"));
    q.add(pod("early", 0, "2026-12-04T09:00:00Z"));
    q.add(pod("urgent", 10, "2026-12-04T12:00:00Z"));
    expect((await q.pop())?.metadata?.name).toBe("urgent");
    expect((await q.pop())?.metadata?.name).toBe("early");
    q.moveAllToActive();
    expect((await q.pop())?.metadata?.name).toBe("late");
    q.close();
    expect(await q.pop()).toBeUndefined();
  });

  it("parks an unschedulable pod until the cluster changes, then retries it after its backoff", async () => {
    const q = new SchedulingQueue();
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
