import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { CycleState, type NodeInfo } from "../framework/interfaces";
import { Code } from "../framework/status";
import { nodeAffinity, nodeName, nodeResourcesFit, nodeUnschedulable, taintToleration } from "./filters";
import { podRequests } from "./helpers";

const state = new CycleState();
function info(node: Partial<V1Node> & { labels?: Record<string, string> }, requested: Record<string, number> = {}): NodeInfo {
  return {
    node: { metadata: { name: "n1", labels: node.labels ?? { zone: "a", disk: "ssd" } }, spec: node.spec ?? {} },
    pods: [],
    requested,
    allocatable: { cpu: 4000, memory: 8 * 1024 ** 3, pods: 110 },
  };
}
const pod = (spec: V1Pod["spec"] = { containers: [] }): V1Pod => ({ metadata: { name: "p" }, spec });

describe("NodeName", () => {
  it.each([
    [undefined, undefined],
    ["n1", undefined],
    ["n2", "node(s) didn't match the requested node name"],
  ])("spec.nodeName %s", (name, reason) => {
    expect(nodeName.filter(state, pod({ nodeName: name, containers: [] }), info({}))?.message).toBe(reason);
  });
});

describe("NodeUnschedulable", () => {
  it("rejects a cordoned node unless tolerated", () => {
    const cordoned = info({ spec: { unschedulable: true } });
    expect(nodeUnschedulable.filter(state, pod(), cordoned)?.code).toBe(Code.UnschedulableAndUnresolvable);
    const tolerant = pod({ containers: [], tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }] });
    expect(nodeUnschedulable.filter(state, tolerant, cordoned)).toBeUndefined();
  });
});

describe("TaintToleration", () => {
  const tainted = info({ spec: { taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] } });
  it("names the untolerated taint as kube-scheduler does", () => {
    expect(taintToleration.filter(state, pod(), tainted)?.message).toBe("node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
  });
  it.each([
    [{ key: "node.kubernetes.io/unreachable", operator: "Exists" }, true],
    [{ operator: "Exists" }, true],
    [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoSchedule" }, false],
    [{ key: "other", operator: "Exists" }, false],
    [{ key: "node.kubernetes.io/unreachable", operator: "Equal", value: "" }, true],
  ])("toleration %j tolerates: %s", (toleration, ok) => {
    expect(taintToleration.filter(state, pod({ containers: [], tolerations: [toleration] }), tainted) === undefined).toBe(ok);
  });
  it("scores PreferNoSchedule taints down", () => {
    expect(taintToleration.score(state, pod(), info({ spec: { taints: [{ key: "x", effect: "PreferNoSchedule" }] } }))).toBe(75);
  });
});

describe("NodeAffinity", () => {
  it("honours nodeSelector and required terms (ORed terms, ANDed expressions)", () => {
    expect(nodeAffinity.filter(state, pod({ containers: [], nodeSelector: { disk: "ssd" } }), info({}))).toBeUndefined();
    expect(nodeAffinity.filter(state, pod({ containers: [], nodeSelector: { disk: "hdd" } }), info({}))?.message).toBe(
      "node(s) didn't match Pod's node affinity/selector",
    );
    const required = (terms: object[]) =>
      pod({ containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    expect(nodeAffinity.filter(state, required([{ matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }]), info({}))).toBeUndefined();
    expect(nodeAffinity.filter(state, required([{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }, { key: "gpu", operator: "Exists" }] }]), info({}))?.code).toBe(
      Code.UnschedulableAndUnresolvable,
    );
  });
  it("scores by the share of preferred weight a node matches", () => {
    const p = pod({
      containers: [],
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 30, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] } },
            { weight: 70, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] } },
          ],
        },
      },
    });
    expect(nodeAffinity.score(state, p, info({}))).toBe(30);
  });
});

describe("NodeResourcesFit", () => {
  const big = pod({ containers: [{ name: "c", resources: { requests: { cpu: "3", memory: "2Gi" } } }] });
  it("counts requests like the scheduler: containers summed, init containers at their max, overhead added", () => {
    const p = pod({
      containers: [
        { name: "a", resources: { requests: { cpu: "500m" } } },
        { name: "b", resources: { requests: { cpu: "250m", memory: "1Gi" } } },
      ],
      initContainers: [{ name: "i", resources: { requests: { cpu: "2" } } }],
      overhead: { cpu: "100m" },
    });
    expect(podRequests(p)).toEqual({ cpu: 2100, memory: 1024 ** 3, pods: 1 });
  });
  it("reports each insufficient resource", () => {
    expect(nodeResourcesFit.filter(state, big, info({}, { cpu: 2000 }))?.reasons).toEqual(["Insufficient cpu"]);
    expect(nodeResourcesFit.filter(state, big, info({}, { cpu: 2000, memory: 7 * 1024 ** 3, pods: 110 }))?.reasons).toEqual([
      "Insufficient cpu",
      "Insufficient memory",
      "Too many pods",
    ]);
    expect(nodeResourcesFit.filter(state, big, info({}))).toBeUndefined();
  });
  it("prefers the least allocated node", () => {
    expect(nodeResourcesFit.score(state, big, info({}))).toBeGreaterThan(nodeResourcesFit.score(state, big, info({}, { cpu: 500, memory: 4 * 1024 ** 3 })));
  });
});
