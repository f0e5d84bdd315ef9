import type { Status } from "./status";

/**
 * The FailedScheduling message in kube-scheduler's words: "0/4 nodes are available: 1 node(s) had
 * untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient cpu." — each reason counted
 * over the nodes that gave it, the counted reasons sorted as strings.
 */
export function fitErrorMessage(totalNodes: number, rejections: Map<string, Status>): string {
  const counts = new Map<string, number>();
  for (const status of rejections.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${totalNodes} nodes are available${parts.length ? `: ${parts.join(", ")}` : ""}.`;
}
