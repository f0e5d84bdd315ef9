import type { V1Pod } from "@kubernetes/client-node";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { EventInput } from "../../k8s/events";
import { Framework } from "./framework/framework";
import type { BindPlugin, NodeInfo, PermitPlugin, Plugin, PreBindPlugin, ReservePlugin, Snapshot } from "./framework/interfaces";
import { Status, type MaybeStatus } from "./framework/status";
import { SchedulingQueue } from "./queue";
import { Scheduler } from "./scheduler";
import { profileOf } from "./testing";

const nodeInfo = (name: string): NodeInfo => ({ node: { metadata: { name } }, pods: [], requested: {}, allocatable: {} });
const nodes = [nodeInfo("n1"), nodeInfo("n2")];
const snapshot: Snapshot = { nodes, get: (n) => nodes.find((x) => x.node.metadata?.name === n) };
const pod: V1Pod = { metadata: { name: "p", namespace: "ns", uid: "u1" }, spec: { containers: [] } };

/** A plugin at every extension point but QueueSort and PostFilter, writing down each call; `fail` makes one point fail. */
function recorder(name: string, calls: string[], fail: Partial<Record<"reserve" | "permit" | "preBind" | "bind", MaybeStatus>> = {}) {
  const log = (what: string) => calls.push(`${name}.${what}`);
  const plugin: Plugin & ReservePlugin & PermitPlugin & PreBindPlugin & BindPlugin & Record<string, unknown> = {
    name,
    preFilter: () => void log("PreFilter"),
    filter: (_s: unknown, _p: unknown, n: NodeInfo) => void log(`Filter(${n.node.metadata?.name})`),
    preScore: () => void log("PreScore"),
    score: (_s: unknown, _p: unknown, n: NodeInfo) => (log(`Score(${n.node.metadata?.name})`), n.node.metadata?.name === "n2" ? 100 : 0),
    normalizeScore: () => void log("NormalizeScore"),
    reserve: () => (log("Reserve"), fail.reserve),
    unreserve: () => void log("Unreserve"),
    permit: () => (log("Permit"), { status: fail.permit }),
    preBind: async () => (log("PreBind"), fail.preBind),
    bind: async (_s, _p, node) => (log(`Bind(${node})`), fail.bind),
  };
  return plugin;
}

/** Runs the loop on one pod until `done` says so; returns the events recorded, the cache's calls and the queue. */
async function schedule(
  plugins: Plugin[],
  done: (events: EventInput[]) => boolean,
  opts: { noNodes?: boolean; meanwhile?: (framework: Framework) => Promise<void> } = {},
) {
  const framework = new Framework(profileOf(plugins), { log: pino({ level: "silent" }) });
  const queue = new SchedulingQueue(framework.less);
  const events: EventInput[] = [];
  const cache: string[] = [];
  const scheduler = new Scheduler({
    cache: { snapshot: () => (opts.noNodes ? { nodes: [], get: () => undefined } : snapshot), assume: (_p, n) => void cache.push(`assume ${n}`), forget: () => void cache.push("forget") },
    queue,
    framework,
    events: { record: async (_o, e) => void events.push(e) },
    log: pino({ level: "silent" }),
  });
  const stop = new AbortController();
  const running = scheduler.run(stop.signal);
  queue.add(pod);
  await opts.meanwhile?.(framework);
  for (let i = 0; i < 200 && !done(events); i++) await new Promise((r) => setTimeout(r, 10));
  stop.abort();
  await running;
  return { events, cache, queue, framework };
}
const scheduled = (events: EventInput[]) => events.some((e) => e.reason === "Scheduled");
const failed = (events: EventInput[]) => events.some((e) => e.reason === "FailedScheduling");

describe("Scheduler", () => {
  it("calls the extension points in kube-scheduler's order, each plugin in profile order", async () => {
    const calls: string[] = [];
    const { events, cache } = await schedule([recorder("A", calls), recorder("B", calls, { bind: Status.skip() })], scheduled);
    // B is a Bind plugin too but comes second: A binds, so B's Bind is never called.
    expect(calls).toEqual([
      "A.PreFilter", "B.PreFilter",
      "A.Filter(n1)", "B.Filter(n1)", "A.Filter(n2)", "B.Filter(n2)",
      "A.PreScore", "B.PreScore",
      "A.Score(n1)", "A.Score(n2)", "A.NormalizeScore", "B.Score(n1)", "B.Score(n2)", "B.NormalizeScore",
      "A.Reserve", "B.Reserve",
      "A.Permit", "B.Permit",
      "A.PreBind", "B.PreBind",
      "A.Bind(n2)",
    ]);
    expect(cache).toEqual(["assume n2"]);
    expect(events).toEqual([{ type: "Normal", reason: "Scheduled", message: "Successfully assigned ns/p to n2" }]);
  });

  it("passes Bind to the next plugin when one says Skip", async () => {
    const calls: string[] = [];
    await schedule([recorder("A", calls, { bind: Status.skip() }), recorder("B", calls)], scheduled);
    expect(calls.filter((c) => c.includes("Bind("))).toEqual(["A.Bind(n2)", "B.Bind(n2)"]);
  });

  it.each([
    ["Reserve", { reserve: Status.unschedulable("no room left") }, "running Reserve plugins on n2: B: no room left"],
    ["Permit", { permit: Status.unschedulable("quota exhausted") }, "rejected by Permit on n2: B: quota exhausted"],
    ["PreBind", { preBind: Status.error("volume not ready") }, "binding to n2 failed: B: volume not ready"],
    ["Bind", { bind: Status.error("conflict") }, "binding to n2 failed: B: conflict"],
  ])("after a %s failure, runs every Unreserve in reverse order and forgets the pod", async (point, fail, message) => {
    const calls: string[] = [];
    const { events, cache } = await schedule([recorder("A", calls, { bind: Status.skip() }), recorder("B", calls, fail), recorder("C", calls)], failed);
    expect(calls.filter((c) => c.endsWith(".Unreserve"))).toEqual(["C.Unreserve", "B.Unreserve", "A.Unreserve"]);
    const after = calls.slice(calls.indexOf(`B.${point}${point === "Bind" ? "(n2)" : ""}`) + 1);
    expect(after.filter((c) => !c.endsWith(".Unreserve"))).toEqual([]);
    expect(cache).toEqual(["assume n2", "forget"]);
    expect(events).toEqual([{ type: "Warning", reason: "FailedScheduling", message }]);
  });

  const gate = (timeoutMs: number): PermitPlugin => ({ name: "Gate", permit: () => ({ status: Status.wait(), timeoutMs }) });

  it("binds a pod held by Permit once it is allowed, and not before", async () => {
    const calls: string[] = [];
    const { events } = await schedule([recorder("A", calls), gate(60_000)], scheduled, {
      meanwhile: async (framework) => {
        await new Promise((r) => setTimeout(r, 50));
        expect(calls.at(-1)).toBe("A.Permit");
        framework.waitingPods.get("u1")!.allow("Gate");
      },
    });
    expect(calls.slice(-3)).toEqual(["A.Permit", "A.PreBind", "A.Bind(n2)"]);
    expect(events.map((e) => e.reason)).toEqual(["Scheduled"]);
  });

  it("gives up on a pod held by Permit past its timeout: Unreserve, and back to the queue", async () => {
    const calls: string[] = [];
    const { events, cache } = await schedule([recorder("A", calls), gate(30)], failed);
    expect(calls.slice(-2)).toEqual(["A.Permit", "A.Unreserve"]);
    expect(cache).toEqual(["assume n2", "forget"]);
    expect(events[0]?.message).toBe("binding to n2 failed: Gate: rejected due to timeout after waiting 30ms at plugin Gate");
  });

  it("runs PostFilter when no node fits and adds what it says to the FailedScheduling message", async () => {
    const calls: string[] = [];
    const preemption = { name: "Preemption", postFilter: (_s: unknown, _p: unknown, rejections: ReadonlyMap<string, Status>) => (calls.push(`PostFilter(${rejections.size})`), Status.unschedulable("preemption: 0/0 nodes are available.")) };
    const { events } = await schedule([recorder("A", calls), preemption], failed, { noNodes: true });
    expect(calls).toEqual(["A.PreFilter", "PostFilter(0)"]);
    expect(events[0]?.message).toBe("0/0 nodes are available. preemption: 0/0 nodes are available.");
  });
});
