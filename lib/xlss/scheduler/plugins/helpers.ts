import type { V1NodeSelectorRequirement, V1NodeSelectorTerm, V1Node, V1Pod, V1Taint, V1Toleration } from "@kubernetes/client-node";
import { quantityToScalar } from "@kubernetes/client-node/dist/util.js";

/** Whether `toleration` tolerates `taint` (Kubernetes' rules: empty effect and `Exists` without key match broadly). */
export function tolerates(toleration: V1Toleration, taint: V1Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== "Exists") return false;
  if (toleration.operator === "Exists") return true;
  return (toleration.value ?? "") === (taint.value ?? "");
}

export const toleratedBy = (pod: V1Pod, taint: V1Taint): boolean => (pod.spec?.tolerations ?? []).some((t) => tolerates(t, taint));

function matchesRequirement(labels: Record<string, string>, r: V1NodeSelectorRequirement): boolean {
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value)) return false;
      return r.operator === "Gt" ? Number(value) > Number(values[0]) : Number(value) < Number(values[0]);
    }
    default:
      return false;
  }
}

/** A node selector term: all its expressions (labels) and fields (metadata.name) must match; an empty term matches nothing. */
export function matchesTerm(node: V1Node, term: V1NodeSelectorTerm): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return exprs.every((r) => matchesRequirement(labels, r)) && fields.every((r) => matchesRequirement({ "metadata.name": node.metadata?.name ?? "" }, r));
}

/** Terms are ORed. */
export const matchesAnyTerm = (node: V1Node, terms: V1NodeSelectorTerm[]): boolean => terms.some((t) => matchesTerm(node, t));

/** Resource amounts in scheduler units: `cpu` in millicores, everything else in its base unit. */
export function amount(resource: string, quantity: string | undefined): number {
  if (!quantity) return 0;
  const v = Number(quantityToScalar(quantity));
  return resource === "cpu" ? Math.round(v * 1000) : v;
}

/**
 * What a pod asks for, as the scheduler counts it: the larger of its containers' summed requests and
 * any one init container's, plus pod overhead; `pods` is always 1.
 */
export function podRequests(pod: V1Pod): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [r, q] of Object.entries(c.resources?.requests ?? {})) sum[r] = (sum[r] ?? 0) + amount(r, q);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [r, q] of Object.entries(c.resources?.requests ?? {})) sum[r] = Math.max(sum[r] ?? 0, amount(r, q));
  }
  for (const [r, q] of Object.entries(pod.spec?.overhead ?? {})) sum[r] = (sum[r] ?? 0) + amount(r, q);
  sum.pods = 1;
  return sum;
}
