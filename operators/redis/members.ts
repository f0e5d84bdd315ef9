import type { V1Pod } from "@kubernetes/client-node";
import { isPodReady } from "../../lib/k8s/pods";
import { ANNOTATIONS, LABELS } from "../shared/labels";
import type { Member } from "../shared/members";
import { redisNames } from "./topology";
import type { RedisCluster } from "./types";

/**
 * Every member the cluster should have — sentinels (restarted first: cheap, and a new sentinel
 * understands new servers), then servers — joined with its pod. The operator does not talk to
 * Redis, so servers are "server": which is master is Sentinel's to say.
 */
export function observeRedisMembers(
  rc: RedisCluster,
  restartHashes: Record<string, string>,
  pods: readonly V1Pod[],
  templateObserved: (statefulSet: string) => boolean,
): Member[] {
  const names = redisNames(rc.metadata.name);
  const byName = new Map(pods.map((p) => [p.metadata?.name ?? "", p]));
  const sets = [
    { set: names.sentinels, role: "sentinel", count: rc.spec.sentinel.replicas, group: 0 },
    { set: names.servers, role: "server", count: rc.spec.replicas, group: 1 },
  ];
  return sets.flatMap(({ set, role, count, group }) =>
    Array.from({ length: count }, (_, ordinal): Member => {
      const name = `${set}-${ordinal}`;
      const pod = byName.get(name);
      return {
        name,
        role,
        node: pod?.spec?.nodeName || undefined,
        zone: pod?.metadata?.labels?.["topology.kubernetes.io/zone"],
        ready: pod ? isPodReady(pod) : false,
        version: pod?.metadata?.labels?.[LABELS.version],
        upToDate: pod?.metadata?.annotations?.[ANNOTATIONS.restartHash] === restartHashes[set],
        group,
        ordinal,
        present: pod !== undefined,
        terminating: pod?.metadata?.deletionTimestamp !== undefined,
        templateObserved: templateObserved(set),
        pod,
      };
    }),
  );
}
