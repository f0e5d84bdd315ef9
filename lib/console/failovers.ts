import "server-only";
import { visible, type Principal } from "@/lib/auth/principal";
import { sharedKubeClients, type KubeClients } from "@/lib/k8s/client";
import { isoTimestamp } from "@/lib/k8s/time";
import { getFailover, listFailovers } from "@/lib/xlss/api/client";
import type { FailoverClaim, FailoverStage, XlssFailover } from "@/lib/xlss/api/types";

// Failover incidents (XlssFailover): one per pod moved off a dead node, with the timeline the
// guardian, scheduler and provisioner wrote. Members see their namespaces' incidents only.

export interface FailoverView {
  name: string;
  namespace: string;
  pod: string;
  failedNode: string;
  newNode?: string;
  phase?: string;
  reason?: string;
  message?: string;
  rpoSeconds?: number;
  totalSeconds?: number;
  stages: FailoverStage[];
  claims: FailoverClaim[];
  created?: string;
}

export interface EventView {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  last?: string;
  object: string;
}

const view = (f: XlssFailover): FailoverView => ({
  name: f.metadata.name,
  namespace: f.metadata.namespace,
  pod: f.spec.podName,
  failedNode: f.spec.failedNode,
  newNode: f.status?.newNode,
  phase: f.status?.phase,
  reason: f.status?.reason,
  message: f.status?.message,
  rpoSeconds: f.status?.rpoSeconds,
  totalSeconds: f.status?.totalSeconds,
  stages: f.status?.stages ?? [],
  claims: f.status?.claims ?? [],
  created: isoTimestamp(f.metadata.creationTimestamp),
});

export async function failoverList(principal: Principal, clients: KubeClients = sharedKubeClients()): Promise<FailoverView[]> {
  const items =
    principal.namespaces === "all"
      ? (await listFailovers(clients)).items
      : (await Promise.all([...principal.namespaces].map((ns) => listFailovers(clients, {}, ns)))).flatMap((l) => l.items);
  return visible(principal, items, (f) => f.metadata.namespace)
    .map(view)
    .sort((a, b) => Date.parse(b.created ?? "") - Date.parse(a.created ?? ""));
}

/** Events of the objects an incident touched (the record and its pod), newest first. */
export async function eventsFor(clients: KubeClients, namespace: string, names: string[]): Promise<EventView[]> {
  const list = await clients.core.listNamespacedEvent({ namespace });
  return list.items
    .filter((e) => names.includes(e.involvedObject.name ?? ""))
    .map((e) => ({
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: e.count,
      last: new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? 0).toISOString(),
      object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
    }))
    .sort((a, b) => Date.parse(b.last) - Date.parse(a.last));
}

export async function failoverDetail(
  principal: Principal,
  namespace: string,
  name: string,
  clients: KubeClients = sharedKubeClients(),
): Promise<{ failover: FailoverView; events: EventView[] } | undefined> {
  if (principal.namespaces !== "all" && !principal.namespaces.has(namespace)) return undefined;
  const f = await getFailover(clients, namespace, name);
  if (!f) return undefined;
  return { failover: view(f), events: await eventsFor(clients, namespace, [f.metadata.name, f.spec.podName]) };
}
