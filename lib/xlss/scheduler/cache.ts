import type { V1Node, V1Pod } from "@kubernetes/client-node";
import type { Informer } from "../../k8s/informer";
import type { NodeInfo, Snapshot } from "./framework/interfaces";
import { amount, podRequests } from "./plugins/helpers";

const isTerminal = (p: V1Pod) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed";

/**
 * The scheduler's view of the cluster: nodes and the pods bound to them from the informers, plus
 * pods this scheduler has assumed onto a node but whose binding the API server has not confirmed
 * yet — so the next cycle, which may start before the bind lands, does not hand out the same room
 * twice. An assumption ends when the bound pod appears in the informer, the bind fails, or the pod
 * is gone (deleted, or re-created under its name) — else a pod deleted before its binding was seen,
 * as when a namespace goes, would hold its room forever.
 */
export class SchedulerCache {
  private readonly assumed = new Map<string, { pod: V1Pod; node: string }>();

  constructor(
    private readonly nodes: Pick<Informer<V1Node>, "list">,
    private readonly pods: Pick<Informer<V1Pod>, "list" | "get">,
  ) {}

  assume(pod: V1Pod, node: string): void {
    this.assumed.set(pod.metadata?.uid ?? "", { pod, node });
  }

  forget(pod: V1Pod): void {
    this.assumed.delete(pod.metadata?.uid ?? "");
  }

  /** A consistent picture of every node for one scheduling cycle. */
  snapshot(): Snapshot {
    const infos = new Map<string, NodeInfo>();
    for (const node of this.nodes.list()) {
      const allocatable: Record<string, number> = {};
      for (const [r, q] of Object.entries(node.status?.allocatable ?? {})) allocatable[r] = amount(r, q);
      infos.set(node.metadata?.name ?? "", { node, pods: [], requested: {}, allocatable });
    }
    const place = (pod: V1Pod, nodeName: string) => {
      const info = infos.get(nodeName);
      if (!info) return;
      info.pods.push(pod);
      for (const [r, v] of Object.entries(podRequests(pod))) info.requested[r] = (info.requested[r] ?? 0) + v;
    };
    const bound = new Set<string>();
    for (const pod of this.pods.list()) {
      if (!pod.spec?.nodeName || isTerminal(pod)) continue;
      bound.add(pod.metadata?.uid ?? "");
      place(pod, pod.spec.nodeName);
    }
    for (const [uid, { pod, node }] of this.assumed) {
      const live = this.pods.get(pod.metadata?.name ?? "", pod.metadata?.namespace);
      if (bound.has(uid) || live?.metadata?.uid !== uid || live.spec?.nodeName) this.assumed.delete(uid);
      else place(pod, node);
    }
    const nodes = [...infos.values()];
    return { nodes, get: (name) => infos.get(name) };
  }
}
