import type { QueuedPodInfo, QueueSortPlugin } from "../framework/interfaces";
import { PLUGIN } from "./names";

const priority = (p: QueuedPodInfo) => p.pod.spec?.priority ?? 0;

/** The default queue order: higher `spec.priority` first, then the pod that has waited longer. */
export const prioritySort: QueueSortPlugin = {
  name: PLUGIN.PrioritySort,
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = priority(a);
    const pb = priority(b);
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  },
};
