import type { V1Pod } from "@kubernetes/client-node";
import { isPodReady } from "../../lib/k8s/pods";
import { ANNOTATIONS, LABELS } from "../shared/labels";
import type { Member } from "../shared/members";
import type { KafkaPlan } from "./objects";
import { nodeId, roleSets } from "./topology";
import type { KafkaCluster } from "./types";

/**
 * Every member the cluster should have (controllers first, by ordinal), joined with its pod from
 * `pods` (the cluster's pods). A member is up to date when its pod carries the restart hash of its
 * StatefulSet's desired template; `templateObserved` says whether a StatefulSet's controller has
 * seen that template yet.
 */
export function observeMembers(
  kc: KafkaCluster,
  plan: KafkaPlan,
  restartHashes: Record<string, string>,
  pods: readonly V1Pod[],
  templateObserved: (statefulSet: string) => boolean,
): Member[] {
  const byName = new Map(pods.map((p) => [p.metadata?.name ?? "", p]));
  const members: Member[] = [];
  for (const set of roleSets(kc)) {
    const count = set.role === "controller" ? kc.spec.controllers.replicas : plan.brokerReplicas;
    for (let ordinal = 0; ordinal < count; ordinal++) {
      const name = `${set.name}-${ordinal}`;
      const pod = byName.get(name);
      const role = set.role === "combined" ? (ordinal < kc.spec.controllers.replicas ? "combined" : "broker") : set.role;
      members.push({
        name,
        role,
        id: nodeId(set, ordinal),
        node: pod?.spec?.nodeName || undefined,
        zone: pod?.metadata?.labels?.[kc.spec.rackAwareness.topologyKey],
        ready: pod ? isPodReady(pod) : false,
        version: pod?.metadata?.labels?.[LABELS.version],
        upToDate: pod?.metadata?.annotations?.[ANNOTATIONS.restartHash] === restartHashes[set.name],
        // Members that are controllers (dedicated or combined) restart before those that are only brokers.
        group: role === "broker" ? 1 : 0,
        ordinal,
        present: pod !== undefined,
        terminating: pod?.metadata?.deletionTimestamp !== undefined,
        templateObserved: templateObserved(set.name),
        pod,
      });
    }
  }
  return members;
}
