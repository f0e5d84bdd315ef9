import type { V1Pod } from "@kubernetes/client-node";
import type { CycleState, FilterPlugin, NodeInfo, ScorePlugin } from "../framework/interfaces";
import { Status, type MaybeStatus } from "../framework/status";
import { matchesAnyTerm, podRequests, toleratedBy } from "./helpers";
import { PLUGIN } from "./names";

// The node-local plugins: each decides from the pod and one node alone. Reasons are worded as
// kube-scheduler words them, so FailedScheduling events read the same.

/** `spec.nodeName` already chosen by the user: only that node. */
export const nodeName: FilterPlugin = {
  name: PLUGIN.NodeName,
  filter(_s: CycleState, pod: V1Pod, n: NodeInfo): MaybeStatus {
    const wanted = pod.spec?.nodeName;
    return wanted && wanted !== n.node.metadata?.name ? Status.unresolvable("node(s) didn't match the requested node name") : undefined;
  },
};

/** Cordoned nodes, unless the pod tolerates node.kubernetes.io/unschedulable. */
export const nodeUnschedulable: FilterPlugin = {
  name: PLUGIN.NodeUnschedulable,
  filter(_s: CycleState, pod: V1Pod, n: NodeInfo): MaybeStatus {
    if (!n.node.spec?.unschedulable) return undefined;
    return toleratedBy(pod, { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }) ? undefined : Status.unresolvable("node(s) were unschedulable");
  },
};

/** NoSchedule/NoExecute taints the pod does not tolerate rule a node out; PreferNoSchedule ones lower its score. */
export const taintToleration: FilterPlugin & ScorePlugin = {
  name: PLUGIN.TaintToleration,
  filter(_s: CycleState, pod: V1Pod, n: NodeInfo): MaybeStatus {
    const taint = (n.node.spec?.taints ?? []).find((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !toleratedBy(pod, t));
    return taint ? Status.unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`) : undefined;
  },
  score(_s: CycleState, pod: V1Pod, n: NodeInfo): number {
    const soft = (n.node.spec?.taints ?? []).filter((t) => t.effect === "PreferNoSchedule" && !toleratedBy(pod, t)).length;
    return Math.max(0, 100 - soft * 25);
  },
};

/** `nodeSelector` and required node affinity must match; preferred terms add their weights to the score. */
export const nodeAffinity: FilterPlugin & ScorePlugin = {
  name: PLUGIN.NodeAffinity,
  filter(_s: CycleState, pod: V1Pod, n: NodeInfo): MaybeStatus {
    const labels = n.node.metadata?.labels ?? {};
    const selectorOk = Object.entries(pod.spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    const affinityOk = !required || matchesAnyTerm(n.node, required);
    return selectorOk && affinityOk ? undefined : Status.unresolvable("node(s) didn't match Pod's node affinity/selector");
  },
  score(_s: CycleState, pod: V1Pod, n: NodeInfo): number {
    const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    const total = preferred.reduce((s, p) => s + p.weight, 0);
    if (total === 0) return 0;
    const got = preferred.filter((p) => matchesAnyTerm(n.node, [p.preference])).reduce((s, p) => s + p.weight, 0);
    return Math.round((got / total) * 100);
  },
};

/** Requests must fit what is left of allocatable; among fitting nodes the least allocated scores best. */
export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: PLUGIN.NodeResourcesFit,
  filter(_s: CycleState, pod: V1Pod, n: NodeInfo): MaybeStatus {
    const want = podRequests(pod);
    const short: string[] = [];
    for (const [r, v] of Object.entries(want)) {
      if (v <= 0) continue;
      if ((n.requested[r] ?? 0) + v > (n.allocatable[r] ?? 0)) short.push(r === "pods" ? "Too many pods" : `Insufficient ${r}`);
    }
    return short.length ? Status.unschedulable(...short) : undefined;
  },
  score(_s: CycleState, pod: V1Pod, n: NodeInfo): number {
    const want = podRequests(pod);
    const free = (r: string) => {
      const cap = n.allocatable[r] ?? 0;
      return cap > 0 ? Math.max(0, cap - (n.requested[r] ?? 0) - (want[r] ?? 0)) / cap : 0;
    };
    return Math.round(((free("cpu") + free("memory")) / 2) * 100);
  },
};
