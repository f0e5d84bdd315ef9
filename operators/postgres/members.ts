import type { V1Pod } from "@kubernetes/client-node";
import { isPodReady } from "../../lib/k8s/pods";
import { ANNOTATIONS, LABELS } from "../shared/labels";
import type { Member } from "../shared/members";
import { postgresNames } from "./topology";
import type { PostgresCluster } from "./types";

/**
 * Every member the cluster should have — replicas (restarted first: the primary keeps serving
 * writes meanwhile, and PostgreSQL's advice for minor updates is standbys before the primary), then
 * the primary — joined with its pod.
 */
export function observePostgresMembers(
  pg: PostgresCluster,
  restartHashes: Record<string, string>,
  pods: readonly V1Pod[],
  templateObserved: (statefulSet: string) => boolean,
): Member[] {
  const names = postgresNames(pg.metadata.name);
  const byName = new Map(pods.map((p) => [p.metadata?.name ?? "", p]));
  const sets = [
    { set: names.replicaSet, role: "replica", count: pg.spec.replicas - 1, group: 0 },
    { set: names.primary, role: "primary", count: 1, group: 1 },
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
