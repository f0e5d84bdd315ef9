import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { nodeResourcesFit, taintToleration } from "../plugins/filters";
import { Framework } from "./framework";
import { CycleState, type NodeInfo, type PreFilterPlugin, type Snapshot } from "./interfaces";
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
const pod: V1Pod = { metadata: { name: "p" }, spec: { containers: [{ name: "c", resources: { requests: { cpu: "2" } } }] } };

describe("Framework", () => {
  it("filters, aggregates rejections by node, and picks the least allocated node", async () => {
    const fw = new Framework([taintToleration, nodeResourcesFit]);
    const nodes = [node("full", 3000), node("tainted", 0, true), node("busy", 1500), node("idle", 0)];
    const state = new CycleState();
    const { feasible, rejections } = await fw.findFeasible(state, pod, snapshot(nodes));
    expect(feasible.map((n) => n.node.metadata?.name)).toEqual(["busy", "idle"]);
    expect([...rejections].map(([n, s]) => [n, s.message])).toEqual([
      ["full", "Insufficient cpu"],
      ["tainted", "node(s) had untolerated taint {dedicated: db}"],
    ]);
    expect(fw.selectHost(state, pod, feasible)?.node.metadata?.name).toBe("idle");
  });

  it("stops at a PreFilter that rejects, and skips the Filter of one that says Skip", async () => {
    const reject: PreFilterPlugin = { name: "Reject", preFilter: () => Status.unresolvable("persistentvolumeclaim \"data\" not found") };
    const aborted = await new Framework([reject, nodeResourcesFit]).findFeasible(new CycleState(), pod, snapshot([node("a", 0)]));
    expect(aborted.aborted?.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(aborted.aborted?.plugin).toBe("Reject");

    const skipper = { name: "Skipper", preFilter: () => Status.skip(), filter: () => Status.unresolvable("never asked") };
    const result = await new Framework([skipper]).findFeasible(new CycleState(), pod, snapshot([node("a", 0)]));
    expect(result.feasible).toHaveLength(1);
  });

  it("breaks score ties at random among the best", () => {
    const fw = new Framework([nodeResourcesFit]);
    const nodes = [node("a", 0), node("b", 0), node("c", 2000)];
    expect(fw.selectHost(new CycleState(), pod, nodes, () => 0)?.node.metadata?.name).toBe("a");
    expect(fw.selectHost(new CycleState(), pod, nodes, () => 0.99)?.node.metadata?.name).toBe("b");
  });
});
