import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { CycleState, type NodeInfo, type Snapshot } from "../framework/interfaces";
import { interPodAffinity, matchesSelector, podTopologySpread } from "./spreading";

let uid = 0;
const broker = (labels: Record<string, string> = { app: "kafka" }, spec: Partial<V1Pod["spec"]> = {}): V1Pod => ({
  metadata: { name: `p${++uid}`, namespace: "team-a", uid: String(uid), labels },
  spec: { containers: [], ...spec },
});
function node(name: string, zone: string, pods: V1Pod[] = []): NodeInfo {
  return {
    node: { metadata: { name, labels: { "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone } } },
    pods,
    requested: {},
    allocatable: { cpu: 4000, memory: 1e10, pods: 110 },
  };
}
const snapshot = (nodes: NodeInfo[]): Snapshot => ({ nodes, get: (n) => nodes.find((x) => x.node.metadata?.name === n) });
const antiHost = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "kafka" } }, topologyKey: "kubernetes.io/hostname" }] } };

function feasible(plugin: typeof interPodAffinity | typeof podTopologySpread, pod: V1Pod, nodes: NodeInfo[]): string[] {
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod, snapshot(nodes));
  if (pre && "code" in pre && pre.code === "Skip") return nodes.map((n) => n.node.metadata?.name ?? "");
  return nodes.filter((n) => plugin.filter(state, pod, n) === undefined).map((n) => n.node.metadata?.name ?? "");
}

describe("matchesSelector", () => {
  it.each([
    [{ matchLabels: { app: "kafka" } }, true],
    [{ matchExpressions: [{ key: "app", operator: "In", values: ["redis", "kafka"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, true],
    [{ matchLabels: { app: "kafka" }, matchExpressions: [{ key: "app", operator: "NotIn", values: ["kafka"] }] }, false],
    [{}, true],
  ])("%j → %s", (sel, ok) => expect(matchesSelector(sel, { app: "kafka" })).toBe(ok));
});

describe("InterPodAffinity", () => {
  it("keeps brokers with required anti-affinity on distinct nodes", () => {
    const nodes = [node("n1", "a", [broker()]), node("n2", "a"), node("n3", "b", [broker({ app: "redis" })])];
    expect(feasible(interPodAffinity, broker({ app: "kafka" }, { affinity: antiHost }), nodes)).toEqual(["n2", "n3"]);
  });
  it("honours existing pods' anti-affinity against the newcomer", () => {
    const nodes = [node("n1", "a", [broker({ app: "kafka" }, { affinity: antiHost })]), node("n2", "a")];
    expect(feasible(interPodAffinity, broker(), nodes)).toEqual(["n2"]);
  });
  it("places a pod with required affinity next to its peer, or anywhere if it is the first of its group", () => {
    const aff = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "kafka" } }, topologyKey: "topology.kubernetes.io/zone" }] } };
    expect(feasible(interPodAffinity, broker({ app: "kafka" }, { affinity: aff }), [node("n1", "a", [broker()]), node("n2", "a"), node("n3", "b")])).toEqual(["n1", "n2"]);
    expect(feasible(interPodAffinity, broker({ app: "kafka" }, { affinity: aff }), [node("n1", "a"), node("n2", "b")])).toEqual(["n1", "n2"]);
  });
  it("scores preferred anti-affinity: nodes without a peer score higher", () => {
    const pod = broker({ app: "kafka" }, {
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: "kafka" } }, topologyKey: "kubernetes.io/hostname" } }] } },
    });
    const nodes = [node("n1", "a", [broker()]), node("n2", "a")];
    const state = new CycleState();
    interPodAffinity.preFilter(state, pod, snapshot(nodes));
    expect(interPodAffinity.score(state, pod, nodes[0]!)).toBeLessThan(interPodAffinity.score(state, pod, nodes[1]!));
  });
});

describe("PodTopologySpread", () => {
  const spread = (when: "DoNotSchedule" | "ScheduleAnyway") => ({
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: when, labelSelector: { matchLabels: { app: "kafka" } } }],
  });
  it("refuses a zone that would exceed the skew", () => {
    const nodes = [node("n1", "a", [broker(), broker()]), node("n2", "a"), node("n3", "b", [broker()])];
    expect(feasible(podTopologySpread, broker({ app: "kafka" }, spread("DoNotSchedule")), nodes)).toEqual(["n3"]);
  });
  it("prefers the less crowded zone when soft", () => {
    const nodes = [node("n1", "a", [broker(), broker()]), node("n3", "b")];
    const pod = broker({ app: "kafka" }, spread("ScheduleAnyway"));
    const state = new CycleState();
    podTopologySpread.preFilter(state, pod, snapshot(nodes));
    expect(podTopologySpread.score(state, pod, nodes[1]!)).toBeGreaterThan(podTopologySpread.score(state, pod, nodes[0]!));
  });
});
