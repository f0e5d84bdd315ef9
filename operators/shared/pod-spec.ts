import type { V1ResourceRequirements } from "@kubernetes/client-node";
import type { ComputeResources, ResourceList } from "./types";

/** The scheduler of every stateful pod on the platform: it places pods by their local volumes and moves them when a node dies. */
export const SCHEDULER_NAME = "xlss-scheduler";

/** A container's resources from a spec's (quantities written as YAML numbers become text). */
export function resourceRequirements(resources: ComputeResources): V1ResourceRequirements {
  const text = (list: ResourceList) => Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v)]));
  return { requests: text(resources.requests), ...(resources.limits ? { limits: text(resources.limits) } : {}) };
}
