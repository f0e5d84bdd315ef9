import type { V1LabelSelector, V1Pod, V1PodAffinityTerm } from "@kubernetes/client-node";
import type { CycleState, FilterPlugin, NodeInfo, PreFilterPlugin, ScorePlugin, Snapshot } from "../framework/interfaces";
import { Status, type MaybeStatus } from "../framework/status";
import { nodeAffinity } from "./filters";
import { PLUGIN } from "./names";

// Placement relative to other pods: inter-pod (anti-)affinity and topology spread. This is what puts
// the brokers of one Kafka cluster on different nodes and zones.

/** Label selector semantics: matchLabels and every matchExpression must hold; an empty selector matches all. */
export function matchesSelector(selector: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExprs = (selector.matchExpressions ?? []).every((e) => {
    const v = labels[e.key];
    switch (e.operator) {
      case "In":
        return v !== undefined && (e.values ?? []).includes(v);
      case "NotIn":
        return v === undefined || !(e.values ?? []).includes(v);
      case "Exists":
        return v !== undefined;
      case "DoesNotExist":
        return v === undefined;
      default:
        return false;
    }
  });
  return byLabels && byExprs;
}

/**
 * Whether `other` is a pod the term is about: labels match, and it lives in the term's namespaces
 * (the term's list, all namespaces for an empty namespaceSelector, else the owning pod's namespace).
 */
function termMatches(term: V1PodAffinityTerm, owner: V1Pod, other: V1Pod): boolean {
  const ns = other.metadata?.namespace ?? "";
  const allNamespaces = term.namespaceSelector && Object.keys(term.namespaceSelector).length === 0;
  const inScope = allNamespaces || (term.namespaces?.length ? term.namespaces.includes(ns) : ns === owner.metadata?.namespace);
  return inScope && matchesSelector(term.labelSelector, other.metadata?.labels ?? {});
}

const topologyValue = (n: NodeInfo, key: string) => n.node.metadata?.labels?.[key];
const samePod = (a: V1Pod, b: V1Pod) => a.metadata?.uid !== undefined && a.metadata.uid === b.metadata?.uid;

interface AffinityState {
  /** For each required anti-affinity term of the pod: topology values that already hold a matching pod. */
  antiAffinity: { key: string; taken: Set<string> }[];
  /** Topology values forbidden by existing pods' required anti-affinity against this pod (symmetry). */
  forbiddenByOthers: { key: string; value: string }[];
  /** For each required affinity term: values holding a matching pod; empty and self-matching = any node. */
  affinity: { key: string; present: Set<string>; selfMatch: boolean }[];
  /** Preferred terms: +weight (affinity) or −weight (anti-affinity) where a matching pod runs. */
  preferred: { key: string; present: Set<string>; weight: number }[];
}

/** Required pod affinity and anti-affinity (both directions), and preferred terms for scoring. */
export const interPodAffinity: PreFilterPlugin & FilterPlugin & ScorePlugin = {
  name: PLUGIN.InterPodAffinity,
  preFilter(state: CycleState, pod: V1Pod, snapshot: Snapshot): MaybeStatus {
    const anti = pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    const aff = pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    const placed = snapshot.nodes.flatMap((n) => n.pods.filter((p) => !samePod(p, pod)).map((p) => ({ p, n })));
    const s: AffinityState = {
      antiAffinity: anti.map((t) => ({
        key: t.topologyKey,
        taken: new Set(placed.filter(({ p }) => termMatches(t, pod, p)).flatMap(({ n }) => topologyValue(n, t.topologyKey) ?? [])),
      })),
      forbiddenByOthers: placed.flatMap(({ p, n }) =>
        (p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
          .filter((t) => termMatches(t, p, pod))
          .flatMap((t) => (topologyValue(n, t.topologyKey) ? [{ key: t.topologyKey, value: topologyValue(n, t.topologyKey)! }] : [])),
      ),
      affinity: aff.map((t) => ({
        key: t.topologyKey,
        present: new Set(placed.filter(({ p }) => termMatches(t, pod, p)).flatMap(({ n }) => topologyValue(n, t.topologyKey) ?? [])),
        selfMatch: termMatches(t, pod, pod),
      })),
      preferred: [
        ...(pod.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ term: w.podAffinityTerm, weight: w.weight })),
        ...(pod.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ term: w.podAffinityTerm, weight: -w.weight })),
      ].map(({ term, weight }) => ({
        key: term.topologyKey,
        weight,
        present: new Set(placed.filter(({ p }) => termMatches(term, pod, p)).flatMap(({ n }) => topologyValue(n, term.topologyKey) ?? [])),
      })),
    };
    const idle = s.antiAffinity.length + s.affinity.length + s.forbiddenByOthers.length + s.preferred.length === 0;
    if (idle) return Status.skip();
    state.write(PLUGIN.InterPodAffinity, s);
    return undefined;
  },
  filter(state: CycleState, _pod: V1Pod, n: NodeInfo): MaybeStatus {
    const s = state.read<AffinityState>(PLUGIN.InterPodAffinity);
    if (!s) return undefined;
    for (const { key, taken } of s.antiAffinity) {
      const v = topologyValue(n, key);
      if (v !== undefined && taken.has(v)) return Status.unschedulable("node(s) didn't match pod anti-affinity rules");
    }
    if (s.forbiddenByOthers.some(({ key, value }) => topologyValue(n, key) === value)) {
      return Status.unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
    }
    for (const { key, present, selfMatch } of s.affinity) {
      const v = topologyValue(n, key);
      // The first pod of a group that is its own affinity target may go anywhere the key exists.
      const ok = v !== undefined && (present.has(v) || (present.size === 0 && selfMatch));
      if (!ok) return Status.unschedulable("node(s) didn't match pod affinity rules");
    }
    return undefined;
  },
  score(state: CycleState, _pod: V1Pod, n: NodeInfo): number {
    const prefs = state.read<AffinityState>(PLUGIN.InterPodAffinity)?.preferred ?? [];
    const total = prefs.reduce((sum, p) => sum + Math.abs(p.weight), 0);
    if (total === 0) return 50;
    let sum = 0;
    for (const { key, present, weight } of prefs) {
      const v = topologyValue(n, key);
      if (v !== undefined && present.has(v)) sum += weight;
    }
    return Math.round(((sum + total) / (2 * total)) * 100);
  },
};

interface SpreadState {
  constraints: { key: string; maxSkew: number; hard: boolean; counts: Map<string, number>; min: number }[];
}

/**
 * Topology spread constraints: placing the pod must not make the count of matching pods in its
 * topology domain exceed the least-loaded domain's by more than maxSkew (DoNotSchedule); with
 * ScheduleAnyway, less crowded domains score higher. Only nodes the pod's node affinity/selector
 * admits form the domains (nodeAffinityPolicy Honor, the default).
 */
export const podTopologySpread: PreFilterPlugin & FilterPlugin & ScorePlugin = {
  name: PLUGIN.PodTopologySpread,
  preFilter(state: CycleState, pod: V1Pod, snapshot: Snapshot): MaybeStatus {
    const constraints = pod.spec?.topologySpreadConstraints ?? [];
    if (constraints.length === 0) return Status.skip();
    const eligible = snapshot.nodes.filter((n) => nodeAffinity.filter(state, pod, n) === undefined);
    const s: SpreadState = {
      constraints: constraints.map((c) => {
        const counts = new Map<string, number>();
        for (const n of eligible) {
          const v = topologyValue(n, c.topologyKey);
          if (v === undefined) continue;
          const matching = n.pods.filter(
            (p) =>
              !samePod(p, pod) &&
              !p.metadata?.deletionTimestamp &&
              p.metadata?.namespace === pod.metadata?.namespace &&
              matchesSelector(c.labelSelector, p.metadata?.labels ?? {}),
          ).length;
          counts.set(v, (counts.get(v) ?? 0) + matching);
        }
        return { key: c.topologyKey, maxSkew: c.maxSkew, hard: c.whenUnsatisfiable === "DoNotSchedule", counts, min: Math.min(...counts.values()) };
      }),
    };
    state.write(PLUGIN.PodTopologySpread, s);
    return undefined;
  },
  filter(state: CycleState, _pod: V1Pod, n: NodeInfo): MaybeStatus {
    for (const c of state.read<SpreadState>(PLUGIN.PodTopologySpread)?.constraints ?? []) {
      if (!c.hard) continue;
      const v = topologyValue(n, c.key);
      if (v === undefined) return Status.unresolvable("node(s) didn't match pod topology spread constraints (missing required label)");
      if ((c.counts.get(v) ?? 0) + 1 - c.min > c.maxSkew) return Status.unschedulable("node(s) didn't match pod topology spread constraints");
    }
    return undefined;
  },
  score(state: CycleState, _pod: V1Pod, n: NodeInfo): number {
    const soft = (state.read<SpreadState>(PLUGIN.PodTopologySpread)?.constraints ?? []).filter((c) => !c.hard);
    if (soft.length === 0) return 50;
    const scores = soft.map((c) => {
      const v = topologyValue(n, c.key);
      const max = Math.max(...c.counts.values());
      if (v === undefined || max === c.min) return 100;
      return Math.round((1 - ((c.counts.get(v) ?? 0) - c.min) / (max - c.min)) * 100);
    });
    return Math.round(scores.reduce((a, b) => a + b, 0) / scores.length);
  },
};
