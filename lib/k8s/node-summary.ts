import type { V1Node, V1Pod } from "@kubernetes/client-node";
// Quantity parsing and per-pod request totals live in the client's util module, which its package
// index does not re-export; the client is pinned to 1.4.x, so the deep path is stable.
import { quantityToScalar, totalCPU, totalMemory } from "@kubernetes/client-node/dist/util.js";

/** What the console shows for one node: health, placement labels, and how full it is. */
export interface NodeSummary {
  name: string;
  /** From the Ready condition; `Unknown` is what a node whose heartbeats stopped turns into. */
  status: "Ready" | "NotReady" | "Unknown";
  zone: string | undefined;
  unschedulable: boolean;
  taints: string[];
  /** Cores. */
  cpu: { requested: number; allocatable: number };
  /** Bytes. */
  memory: { requested: number; allocatable: number };
  pods: { count: number; capacity: number };
  /** Seconds since the Ready condition last changed. */
  statusAgeSeconds: number | undefined;
}

const toNumber = (q: string | undefined): number => (q ? Number(quantityToScalar(q)) : 0);

/**
 * Joins nodes with the pods bound to them. Pods that finished (Succeeded/Failed) hold no resources
 * and are not counted, as the scheduler does.
 */
export function summarizeNodes(nodes: V1Node[], pods: V1Pod[], now: Date): NodeSummary[] {
  const active = pods.filter((p) => p.spec?.nodeName && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
  return nodes
    .map((node) => {
      const name = node.metadata?.name ?? "";
      const onNode = active.filter((p) => p.spec?.nodeName === name);
      const ready = node.status?.conditions?.find((c) => c.type === "Ready");
      const alloc = node.status?.allocatable ?? {};
      return {
        name,
        status: ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "Unknown",
        zone: node.metadata?.labels?.["topology.kubernetes.io/zone"],
        unschedulable: node.spec?.unschedulable ?? false,
        taints: (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`),
        cpu: { requested: sum(onNode.map((p) => Number(totalCPU(p).request))), allocatable: toNumber(alloc.cpu) },
        memory: { requested: sum(onNode.map((p) => Number(totalMemory(p).request))), allocatable: toNumber(alloc.memory) },
        pods: { count: onNode.length, capacity: toNumber(alloc.pods) },
        statusAgeSeconds: ready?.lastTransitionTime
          ? Math.max(0, Math.round((now.getTime() - new Date(ready.lastTransitionTime).getTime()) / 1000))
          : undefined,
      } satisfies NodeSummary;
    })
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
