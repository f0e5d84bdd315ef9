import type { KubeClients } from "../../k8s/client";
import { isConflict } from "../../k8s/errors";
import { createFailover, getFailover, listFailovers, updateFailoverStatus } from "../api/client";
import {
  FAILOVER_STAGES,
  LABELS,
  STORAGE_API_VERSION,
  type FailoverStageName,
  type XlssFailover,
  type XlssFailoverStatus,
} from "../api/types";

// The failover record: one XlssFailover per incident (a pod moved off a dead node). Each component
// writes the stages it sees; these helpers keep the timeline consistent whoever writes.

const FINISHED = new Set(["Completed", "Failed"]);
export const isFinished = (f: XlssFailover) => FINISHED.has(f.status?.phase ?? "");

/** The record's name: the pod's name and the first characters of the failed pod's uid. */
export const failoverName = (podName: string, podUid: string) => `${podName.slice(0, 240)}-${podUid.slice(0, 8)}`;

/**
 * Sets one stage (replacing an earlier entry of the same name) and returns the status with the
 * stages in their canonical order.
 */
export function withStage(status: XlssFailoverStatus, name: FailoverStageName, startTime: string, completionTime?: string): XlssFailoverStatus {
  const stages = (status.stages ?? []).filter((s) => s.name !== name);
  const seconds = completionTime ? Math.max(0, (Date.parse(completionTime) - Date.parse(startTime)) / 1000) : undefined;
  stages.push({ name, startTime, ...(completionTime ? { completionTime, seconds } : {}) });
  stages.sort((a, b) => FAILOVER_STAGES.indexOf(a.name) - FAILOVER_STAGES.indexOf(b.name));
  return { ...status, stages };
}

/** When a stage ended, if it did. */
export const stageEnd = (status: XlssFailoverStatus | undefined, name: FailoverStageName): string | undefined =>
  status?.stages?.find((s) => s.name === name)?.completionTime;

/** When the incident began: the start of Detect (the node going NotReady). */
export const incidentStart = (status: XlssFailoverStatus | undefined): string | undefined => status?.stages?.find((s) => s.name === "Detect")?.startTime;

/** Data lost to the incident: from the oldest of the newest snapshots restored to the node going down. */
export function rpoSeconds(nodeDownAt: string | undefined, snapshotTimes: (string | undefined)[]): number | undefined {
  const times = snapshotTimes.filter((t): t is string => !!t).map(Date.parse);
  if (!nodeDownAt || times.length === 0 || times.length !== snapshotTimes.length) return undefined;
  return Math.max(0, (Date.parse(nodeDownAt) - Math.min(...times)) / 1000);
}

export interface NewIncident {
  namespace: string;
  podName: string;
  podUid: string;
  failedNode: string;
  reason: string;
  status: XlssFailoverStatus;
}

/** Creates the record of an incident, or returns the one that already exists (a retry, or another writer). */
export async function openFailover(clients: KubeClients, incident: NewIncident): Promise<XlssFailover> {
  const name = failoverName(incident.podName, incident.podUid);
  const body: XlssFailover = {
    apiVersion: STORAGE_API_VERSION,
    kind: "XlssFailover",
    metadata: { name, namespace: incident.namespace, labels: { [LABELS.pod]: labelValue(incident.podName), [LABELS.node]: labelValue(incident.failedNode) } },
    spec: { podName: incident.podName, failedNode: incident.failedNode },
  };
  try {
    await createFailover(clients, body);
  } catch (err) {
    // AlreadyExists: a retry, or another writer was first; its status stands.
    if (!isConflict(err)) throw err;
    const existing = await getFailover(clients, incident.namespace, name);
    if (!existing) throw err;
    return existing;
  }
  // Status is a subresource: written after the create.
  const written = await updateFailoverStatus(clients, incident.namespace, name, (f) => {
    f.status = { reason: incident.reason, ...incident.status };
    return true;
  });
  if (!written) throw new Error(`failover ${incident.namespace}/${name} vanished right after its creation`);
  return written;
}

/** Label values are at most 63 characters and end alphanumeric; the spec holds the full name. */
const labelValue = (v: string) => v.slice(0, 63).replace(/[^A-Za-z0-9]+$/, "");

/** The unfinished incident of a pod (by name: the replacement pod is a new object), newest first. */
export async function activeFailover(clients: KubeClients, namespace: string, podName: string): Promise<XlssFailover | undefined> {
  const { items } = await listFailovers(clients, { labelSelector: `${LABELS.pod}=${labelValue(podName)}` }, namespace);
  return items
    .filter((f) => f.spec.podName === podName && !isFinished(f))
    .sort((a, b) => created(b) - created(a))[0];
}

const created = (f: XlssFailover) => new Date(f.metadata.creationTimestamp ?? 0).getTime();
