import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import { nodeResourcesFit, taintToleration } from "../plugins/filters";
import { profileOf } from "../testing";
import { Framework } from "./framework";
import { CycleState, type BindPlugin, type NodeInfo, type PermitPlugin, type PreFilterPlugin, type ScorePlugin, type Snapshot } from "./interfaces";
import { Code, Status } from "./status";

function node(name: string, cpuUsed: number, taint = false): NodeInfo {
  return {
    node: { metadata: { name }, spec: taint ? { taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }] } : {} },
    pods: [],
    requested: { cpu: cpuUsed, memory: 0, pods: 0 },
    allocatable: { cpu: 4000, memory: 8 * 1024 ** 3, pods: 110 },
  };
}
const snapshot = (nodes: NodeInfo[]): Snapshot => ({ nodes, get: (n) => nodes.find((x) => x.node.metadata?.name === n) });
const pod: V1Pod = { metadata: { name: "p", uid: "u1" }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "2" } } }] } };
const hostName = (r: { host?: NodeInfo }) => r.host?.node.metadata?.name;
const framework = (...args: Parameters<typeof profileOf>) => new Framework(profileOf(...args));

describe("Framework: filtering and scoring", () => {
  it("filters, aggregates rejections by node, and picks the least allocated node", async () => {
    const fw = framework([taintToleration, nodeResourcesFit]);
    const nodes = [node("full", 3000), node("tainted", 0, true), node("busy", 1500), node("idle", 0)];
    const state = new CycleState();
    const { feasible, rejections } = await fw.findFeasible(state, pod, snapshot(nodes));
    expect(feasible.map((n) => n.node.metadata?.name)).toEqual(["busy", "idle"]);
    expect([...rejections].map(([n, s]) => [n, s.message, s.plugin])).toEqual([
      ["full", "Insufficient cpu", "NodeResourcesFit"],
      ["tainted", "node(s) had untolerated taint {dedicated: db}", "TaintToleration"],
    ]);
    expect(hostName(fw.selectHost(state, pod, feasible))).toBe("idle");
  });

  it("stops at a PreFilter that rejects, and skips the Filter of one that says Skip", async () => {
    const reject: PreFilterPlugin = { name: "Reject", preFilter: () => Status.unresolvable('persistentvolumeclaim "data" not found') };
    const aborted = await framework([reject, nodeResourcesFit]).findFeasible(new CycleState(), pod, snapshot([node("a", 0)]));
    expect(aborted.aborted?.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(aborted.aborted?.plugin).toBe("Reject");

    const skipper = { name: "Skipper", preFilter: () => Status.skip(), filter: () => Status.unresolvable("never asked") };
    const result = await framework([skipper]).findFeasible(new CycleState(), pod, snapshot([node("a", 0)]));
    expect(result.feasible).toHaveLength(1);
  });

  it("turns a Filter that throws into an error that ends the cycle", async () => {
    const broken = { name: "Broken", filter: () => { throw new Error("boom"); } };
    const { aborted } = await framework([broken]).findFeasible(new CycleState(), pod, snapshot([node("a", 0)]));
    expect([aborted?.code, aborted?.message, aborted?.plugin]).toEqual([Code.Error, "boom", "Broken"]);
  });

  it("breaks score ties at random among the best", () => {
    const fw = framework([nodeResourcesFit]);
    const nodes = [node("a", 0), node("b", 0), node("c", 2000)];
    expect(hostName(fw.selectHost(new CycleState(), pod, nodes, () => 0))).toBe("a");
    expect(hostName(fw.selectHost(new CycleState(), pod, nodes, () => 0.99))).toBe("b");
  });

  it("normalizes each plugin's raw scores before weighting them", () => {
    // Raw scores are counts (0…n); NormalizeScore maps them to 0–100 relative to the best node.
    const counts: Record<string, number> = { a: 1, b: 4, c: 2 };
    const normalize = vi.fn((_s: CycleState, _p: V1Pod, scores: { name: string; score: number }[]) => {
      const max = Math.max(...scores.map((s) => s.score));
      for (const s of scores) s.score = (s.score * 100) / max;
      return undefined;
    });
    const crowd: ScorePlugin = { name: "Crowd", score: (_s, _p, n) => counts[n.node.metadata?.name ?? ""]!, normalizeScore: normalize };
    // Least allocated prefers "a"; the normalized crowd score (weight 3) outweighs it.
    const nodes = [node("a", 0), node("b", 1000), node("c", 0)];
    expect(hostName(framework([nodeResourcesFit, crowd], { Crowd: 3 }).selectHost(new CycleState(), pod, nodes))).toBe("b");
    expect(normalize.mock.calls[0]![2].map((s) => s.score)).toEqual([25, 100, 50]);
  });

  it("refuses a score outside 0–100 after normalization, and a failing NormalizeScore", () => {
    const nodes = [node("a", 0), node("b", 0)];
    const raw: ScorePlugin = { name: "Raw", score: () => 150 };
    expect(framework([raw]).selectHost(new CycleState(), pod, nodes).status?.message).toBe("plugin Raw scored node a 150, outside 0–100");
    const failing: ScorePlugin = { name: "Failing", score: () => 1, normalizeScore: () => Status.error("cannot") };
    const { status } = framework([failing]).selectHost(new CycleState(), pod, nodes);
    expect([status?.code, status?.plugin]).toEqual([Code.Error, "Failing"]);
  });

  it("skips the Score of a plugin whose PreScore says Skip", () => {
    const score = vi.fn(() => 100);
    const skipper = { name: "Skipper", preScore: () => Status.skip(), score };
    framework([skipper, nodeResourcesFit]).selectHost(new CycleState(), pod, [node("a", 0), node("b", 0)]);
    expect(score).not.toHaveBeenCalled();
  });
});

describe("Framework: PostFilter and Bind", () => {
  const rejections = new Map([["a", Status.unschedulable("Insufficient cpu")]]);

  it("runs PostFilter plugins until one succeeds, collecting the reasons of those that could not help", async () => {
    const seen: string[] = [];
    const cannot = { name: "Cannot", postFilter: () => (seen.push("Cannot"), Status.unschedulable("preemption: not eligible")) };
    const helps = { name: "Helps", postFilter: () => void seen.push("Helps") };
    const never = { name: "Never", postFilter: () => void seen.push("Never") };
    expect(await framework([cannot, helps, never]).runPostFilter(new CycleState(), pod, rejections)).toBeUndefined();
    expect(seen).toEqual(["Cannot", "Helps"]);
    expect((await framework([cannot]).runPostFilter(new CycleState(), pod, rejections))?.message).toBe("preemption: not eligible");
    expect((await framework([]).runPostFilter(new CycleState(), pod, rejections))?.message).toBe("");
  });

  it("passes Bind on while plugins Skip, and fails if all of them do", async () => {
    const skip: BindPlugin = { name: "Skip", bind: async () => Status.skip() };
    const fails: BindPlugin = { name: "Fails", bind: async () => Status.error("no") };
    expect((await framework([skip, fails]).runBind(new CycleState(), pod, "a"))?.plugin).toBe("Fails");
    expect((await framework([skip]).runBind(new CycleState(), pod, "a"))?.message).toBe("every Bind plugin skipped the pod");
  });
});

describe("Framework: Permit", () => {
  const waiter = (name: string, timeoutMs: number): PermitPlugin => ({ name, permit: () => ({ status: Status.wait(), timeoutMs }) });

  it("allows a pod at once when every Permit plugin does", async () => {
    const yes: PermitPlugin = { name: "Yes", permit: () => ({ status: undefined }) };
    const fw = framework([yes]);
    expect(await fw.runPermit(new CycleState(), pod, "a")).toBeUndefined();
    expect(await fw.waitOnPermit(pod)).toBeUndefined();
  });

  it("rejects at once, naming the plugin, even after another asked to wait", async () => {
    const no: PermitPlugin = { name: "No", permit: () => ({ status: Status.unschedulable("quota exhausted") }) };
    const fw = framework([waiter("Wait", 1000), no]);
    const status = await fw.runPermit(new CycleState(), pod, "a");
    expect([status?.code, status?.message, status?.plugin]).toEqual([Code.Unschedulable, "quota exhausted", "No"]);
    expect(fw.waitingPods.list()).toHaveLength(0);
  });

  it("holds a pod until every waiting plugin allows it", async () => {
    const fw = framework([waiter("A", 60_000), waiter("B", 60_000)]);
    expect((await fw.runPermit(new CycleState(), pod, "n1"))?.code).toBe(Code.Wait);
    const waiting = fw.waitingPods.get("u1")!;
    expect([waiting.nodeName, waiting.pendingPlugins]).toEqual(["n1", ["A", "B"]]);
    let settled = false;
    const verdict = fw.waitOnPermit(pod).then((s) => ((settled = true), s));
    waiting.allow("A");
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    waiting.allow("B");
    expect(await verdict).toBeUndefined();
    expect(fw.waitingPods.get("u1")).toBeUndefined();
  });

  it("rejects a waiting pod when asked, or when a plugin's timeout passes", async () => {
    const fw = framework([waiter("Gang", 60_000)]);
    await fw.runPermit(new CycleState(), pod, "n1");
    const verdict = fw.waitOnPermit(pod);
    fw.waitingPods.reject("u1", "Gang", "the rest of the gang did not come");
    expect(await verdict).toMatchObject({ code: Code.Unschedulable, reasons: ["the rest of the gang did not come"], plugin: "Gang" });

    const timed = framework([waiter("Slow", 20)]);
    await timed.runPermit(new CycleState(), pod, "n1");
    expect(await timed.waitOnPermit(pod)).toMatchObject({ code: Code.Unschedulable, reasons: ["rejected due to timeout after waiting 20ms at plugin Slow"], plugin: "Slow" });
  });
});
