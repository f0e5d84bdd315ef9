import type { V1Pod } from "@kubernetes/client-node";
import { Counter, Histogram } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import type { Reconciler } from "../../k8s/controller";
import { podRef, type EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { registry } from "../../metrics";
import { updateFailoverStatus } from "../api/client";
import { FAILOVER_STAGES, STORAGE_API_VERSION, type XlssFailover } from "../api/types";
import { incidentStart, stageEnd, withStage } from "./failover-record";

const metrics = {
  total: new Counter({ name: "xlss_failovers_total", help: "Finished recoveries of pods from gone nodes.", labelNames: ["result"] as const, registers: [registry] }),
  stage: new Histogram({
    name: "xlss_failover_stage_seconds",
    help: "Duration of each stage of completed recoveries (Detect, Cleanup, Reschedule, Restore, Ready).",
    labelNames: ["stage"] as const,
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [registry],
  }),
  rpo: new Histogram({
    name: "xlss_failover_rpo_seconds",
    help: "Data lost by completed recoveries: node down time minus the restored snapshot's time.",
    buckets: [10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
    registers: [registry],
  }),
};

/**
 * Whether a Ready pod closes its incident, and the Ready stage's start: on its new node once the
 * rescue bound it there (phase Starting), or back on the failed node if that node returned before
 * anything was moved (the pod waited for a backup, or was never rescued) — then it runs on its own
 * volume and nothing was lost.
 */
export function readyOutcome(f: XlssFailover, pod: V1Pod): { from?: string; message: string } | undefined {
  const phase = f.status?.phase;
  const podNode = pod.spec?.nodeName ?? "";
  if (phase === "Starting" && f.status?.newNode && podNode === f.status.newNode) return { from: stageEnd(f.status, "Restore"), message: "" };
  // Only a replacement (created after the record) counts: the failed pod itself sat on that node.
  const replacement = new Date(pod.metadata?.creationTimestamp ?? 0).getTime() > new Date(f.metadata.creationTimestamp ?? Date.now()).getTime();
  if ((phase === "Rescheduling" || phase === "WaitingForBackup") && podNode === f.spec.failedNode && replacement) {
    return { from: stageEnd(f.status, "Cleanup"), message: `node ${f.spec.failedNode} came back before the data was moved; the pod runs there on its own volume` };
  }
  return undefined;
}

export interface FailoverDeps {
  clients: KubeClients;
  failovers: Informer<XlssFailover>;
  pods: Informer<V1Pod>;
  events: EventRecorder;
}

/**
 * Closes a failover record: once the scheduler has restored the data and bound the pod (phase
 * Starting), the pod's Ready condition on its new node ends the Ready stage and the incident, with
 * the total time and the metrics. Driven by the record and the pod, so a restart loses nothing.
 */
export function failoverReconciler(deps: FailoverDeps): Reconciler {
  return async (req, { log }) => {
    const f = deps.failovers.get(req.name, req.namespace);
    const pod = f && deps.pods.get(f.spec.podName, f.metadata.namespace);
    const ready = pod?.status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
    if (!f || !pod || !ready || pod.metadata?.deletionTimestamp) return;
    const outcome = readyOutcome(f, pod);
    if (!outcome) return;

    const from = outcome.from ?? new Date().toISOString();
    const readyAt = new Date(Math.max(new Date(ready.lastTransitionTime ?? Date.now()).getTime(), Date.parse(from))).toISOString();
    const updated = await updateFailoverStatus(deps.clients, f.metadata.namespace, f.metadata.name, (live) => {
      if (live.status?.phase !== f.status?.phase) return false;
      const status = withStage(live.status ?? {}, "Ready", from, readyAt);
      const start = incidentStart(status);
      live.status = {
        ...status,
        phase: "Completed",
        newNode: pod.spec?.nodeName,
        totalSeconds: start ? (Date.parse(readyAt) - Date.parse(start)) / 1000 : undefined,
        message: outcome.message,
      };
      return true;
    });
    if (updated?.status?.phase !== "Completed") return;
    const s = updated.status;
    metrics.total.inc({ result: "completed" });
    for (const stage of s.stages ?? []) if (stage.seconds !== undefined && FAILOVER_STAGES.includes(stage.name)) metrics.stage.observe({ stage: stage.name }, stage.seconds);
    if (s.rpoSeconds !== undefined) metrics.rpo.observe(s.rpoSeconds);
    const summary =
      `recovered on ${s.newNode} in ${s.totalSeconds?.toFixed(0) ?? "?"} s (` +
      (s.stages ?? []).map((st) => `${st.name} ${st.seconds?.toFixed(1) ?? "?"} s`).join(", ") +
      `)` +
      (s.rpoSeconds !== undefined ? `; data restored from ${s.rpoSeconds.toFixed(0)} s before the node went down` : "");
    await deps.events.record({ apiVersion: STORAGE_API_VERSION, kind: "XlssFailover", metadata: updated.metadata }, { type: "Normal", reason: "Recovered", message: summary });
    await deps.events.record(podRef(pod), { type: "Normal", reason: "Recovered", message: summary });
    log.info({ pod: `${f.metadata.namespace}/${f.spec.podName}`, totalSeconds: s.totalSeconds, rpoSeconds: s.rpoSeconds }, "recovery completed");
  };
}
