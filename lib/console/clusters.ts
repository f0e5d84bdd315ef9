import "server-only";
import { canSeeNamespace, visible, type Principal } from "@/lib/auth/principal";
import type { Condition } from "@/lib/k8s/conditions";
import { sharedKubeClients, type KubeClients } from "@/lib/k8s/client";
import { isoTimestamp } from "@/lib/k8s/time";
import type { MemberStatus } from "@/operators/shared/types";
import { catalogKind, CATALOG } from "./catalog";
import { clusterInformer, type MiddlewareObject } from "./cluster-cache";
import { eventsFor, type EventView } from "./failovers";

// Middleware clusters (KafkaCluster, …) as the cluster list and detail pages show them, from the
// watch cache; members see their teams' namespaces only.

export interface ClusterSummary {
  kind: string;
  title: string;
  namespace: string;
  name: string;
  phase?: string;
  replicas?: number;
  readyReplicas?: number;
  desiredReplicas?: number;
  version?: string;
  endpoint?: string;
  ready?: string;
  created?: string;
}

export interface ClusterDetail {
  summary: ClusterSummary;
  spec: Record<string, unknown>;
  members: MemberStatus[];
  endpoints: Record<string, unknown>[];
  conditions: Condition[];
  events: EventView[];
  observedGeneration?: number;
  generation?: number;
}

const num = (v: unknown) => (typeof v === "number" ? v : undefined);
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

function summarize(kind: string, title: string, o: MiddlewareObject): ClusterSummary {
  const status = o.status ?? {};
  const conditions = (status.conditions as Condition[] | undefined) ?? [];
  return {
    kind,
    title,
    namespace: o.metadata.namespace,
    name: o.metadata.name,
    phase: str(status.phase),
    replicas: num(status.replicas),
    readyReplicas: num(status.readyReplicas),
    desiredReplicas: num(o.spec?.replicas),
    version: str(status.version) ?? str(o.spec?.version),
    endpoint: str(status.bootstrapServers),
    ready: conditions.find((c) => c.type === "Ready")?.status,
    created: isoTimestamp(o.metadata.creationTimestamp),
  };
}

/** Every cluster of every catalog kind the principal may see, by namespace then name. */
export async function clusterList(principal: Principal): Promise<ClusterSummary[]> {
  const lists = await Promise.all(
    CATALOG.map(async (form) => {
      const informer = await clusterInformer(form.kind);
      return informer ? visible(principal, informer.list(), (o) => o.metadata.namespace).map((o) => summarize(form.kind, form.title, o)) : [];
    }),
  );
  return lists.flat().sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind));
}

/** The live object of a visible cluster, or undefined (missing and not allowed look the same). */
export async function visibleCluster(principal: Principal, kind: string, namespace: string, name: string): Promise<MiddlewareObject | undefined> {
  const form = catalogKind(kind);
  if (!form || !canSeeNamespace(principal, namespace)) return undefined;
  return (await clusterInformer(form.kind))?.get(name, namespace);
}

export async function clusterDetail(principal: Principal, kind: string, namespace: string, name: string, clients: KubeClients = sharedKubeClients()): Promise<ClusterDetail | undefined> {
  const form = catalogKind(kind);
  const o = await visibleCluster(principal, kind, namespace, name);
  if (!form || !o) return undefined;
  const status = o.status ?? {};
  const members = (status.members as MemberStatus[] | undefined) ?? [];
  return {
    summary: summarize(form.kind, form.title, o),
    spec: o.spec ?? {},
    members,
    endpoints: (status.endpoints as Record<string, unknown>[] | undefined) ?? [],
    conditions: (status.conditions as Condition[] | undefined) ?? [],
    events: await eventsFor(clients, namespace, [name, ...members.map((m) => m.name)]),
    observedGeneration: num(status.observedGeneration),
    generation: o.metadata.generation,
  };
}
