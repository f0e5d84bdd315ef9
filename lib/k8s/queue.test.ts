import { describe, expect, it } from "vitest";
import { WorkQueue } from "./queue";

describe("WorkQueue", () => {
  it("queues a key once however often it is added", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.length).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
  });

  it("never hands out a key being processed; re-queues it on done if it was added meanwhile", async () => {
    const q = new WorkQueue();
    q.add("a");
    const key = await q.get();
    q.add("a");
    expect(q.length).toBe(0);
    q.done(key!);
    expect(q.length).toBe(1);
    expect(await q.get()).toBe("a");
    q.done("a");
    expect(q.length).toBe(0);
  });

  it("wakes a waiting worker when a key arrives", async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.add("x");
    expect(await next).toBe("x");
  });

  it("backs off per key exponentially up to the cap, and forget resets it", () => {
    const q = new WorkQueue({ baseMs: 100, maxMs: 500 });
    expect([q.addRateLimited("k"), q.addRateLimited("k"), q.addRateLimited("k"), q.addRateLimited("k")]).toEqual([100, 200, 400, 500]);
    expect(q.addRateLimited("other")).toBe(100);
    q.forget("k");
    expect(q.addRateLimited("k")).toBe(100);
    q.shutDown();
  });

  it("keeps the earliest of several delayed adds", async () => {
    const q = new WorkQueue();
    q.addAfter("k", 10_000);
    q.addAfter("k", 20);
    await new Promise((r) => setTimeout(r, 60));
    expect(q.length).toBe(1);
    q.shutDown();
  });

  it("releases waiting workers on shutdown", async () => {
    const q = new WorkQueue();
    const next = q.get();
    q.shutDown();
    expect(await next).toBeUndefined();
    q.add("late");
    expect(q.length).toBe(0);
  });
});
