import type { V1Lease, V1Node } from "@kubernetes/client-node";
import { heartbeatExpiresAt } from "../api/heartbeat";

/** When the guardian may treat a node as gone. */
export interface GuardianPolicy {
  /** How long the node must have been NotReady/Unknown without interruption. */
  windowMs: number;
}

export const OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

export type Verdict =
  | { gone: true; reason: string }
  | { gone: false; reason: string; /** Look again after this long, when the verdict could change. */ recheckInMs?: number };

/**
 * Whether a node is really gone, so its stateful pods may be force-deleted. Either an administrator
 * said so (the `node.kubernetes.io/out-of-service` taint, as for Kubernetes' own non-graceful node
 * shutdown), or both signals agree for the whole window: the node lifecycle controller has it
 * NotReady/Unknown since at least `windowMs` ago, AND the node's XLSS agent stopped renewing its
 * heartbeat Lease. A node that comes back inside the window — a flap — resets the clock: two copies
 * of one broker are worse than a slow failover.
 */
export function nodeVerdict(node: V1Node | undefined, agentLease: V1Lease | undefined, policy: GuardianPolicy, now: number): Verdict {
  if (!node) return { gone: false, reason: "node object is gone; Kubernetes' pod garbage collector handles its pods" };
  if (node.spec?.taints?.some((t) => t.key === OUT_OF_SERVICE_TAINT)) {
    return { gone: true, reason: `tainted ${OUT_OF_SERVICE_TAINT} by an administrator` };
  }
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  if (!ready || ready.status === "True") return { gone: false, reason: "Ready" };
  const since = ready.lastTransitionTime ? new Date(ready.lastTransitionTime).getTime() : now;
  const notReadyMs = now - since;
  if (notReadyMs < policy.windowMs) {
    return { gone: false, reason: `Ready=${ready.status} for ${Math.round(notReadyMs / 1000)}s, inside the ${policy.windowMs / 1000}s window`, recheckInMs: policy.windowMs - notReadyMs };
  }
  const expiresAt = heartbeatExpiresAt(agentLease);
  if (expiresAt > now) {
    return {
      gone: false,
      reason: `Ready=${ready.status} for ${Math.round(notReadyMs / 1000)}s but its XLSS agent is still renewing its heartbeat`,
      recheckInMs: expiresAt - now,
    };
  }
  return {
    gone: true,
    reason: `Ready=${ready.status} for ${Math.round(notReadyMs / 1000)}s (window ${policy.windowMs / 1000}s) and its XLSS agent's heartbeat ${agentLease ? `expired ${Math.round((now - expiresAt) / 1000)}s ago` : "is missing"}`,
  };
}
