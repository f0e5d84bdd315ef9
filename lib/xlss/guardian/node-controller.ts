import type { V1Node, V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Counter } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import type { Reconciler } from "../../k8s/controller";
import { podRef, type EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { forceDeletePod } from "../../k8s/pods";
import { registry } from "../../metrics";
import { readAgentLease } from "../api/heartbeat";
import { apiMessage, apiStatus } from "../../k8s/errors";
import type { XlssFailover, XlssVolume } from "../api/types";
import { updateFailoverStatus } from "../api/client";
import { openFailover, stageEnd, withStage } from "./failover-record";
import { nodeVerdict, type GuardianPolicy } from "./verdict";

const forceDeletions = new Counter({
  name: "xlss_guardian_force_deletions_total",
  help: "Pods force-deleted from nodes judged gone (dry-run: would have been).",
  labelNames: ["node", "dry_run"] as const,
  registers: [registry],
});

export interface GuardianDeps {
  clients: KubeClients;
  nodes: Informer<V1Node>;
  pods: Informer<V1Pod>;
  volumes: Informer<XlssVolume>;
  events: EventRecorder;
  policy: GuardianPolicy;
  /** Only report (Events, logs, metrics) what would be force-deleted. */
  dryRun: boolean;
}

/**
 * The guardian (stage 3 of the XLSS recovery): keyed by node; when `nodeVerdict` says the node is
 * really gone, it force-deletes the pods on it that use XLSS local volumes — those only, each by uid
 * so a replacement pod of the same name is never touched — so their StatefulSets can create them
 * again and the rescue can move their data. Everything else on the node is left to Kubernetes.
 */
export function guardianReconciler(deps: GuardianDeps): Reconciler {
  return async (req, { log }) => {
    const node = deps.nodes.get(req.name);
    const lease = await readAgentLease(deps.clients, req.name);
    const verdict = nodeVerdict(node, lease, deps.policy, Date.now());
    if (!verdict.gone) return verdict.recheckInMs !== undefined ? { requeueAfterMs: verdict.recheckInMs + 500 } : undefined;

    const onNode = new Set(
      deps.volumes
        .list()
        .filter((v) => v.spec.nodeName === req.name)
        .map((v) => `${v.spec.claimRef.namespace}/${v.spec.claimRef.name}`),
    );
    const stuck = deps.pods
      .list()
      .filter((p) => p.spec?.nodeName === req.name)
      .filter((p) => p.spec?.volumes?.some((v) => v.persistentVolumeClaim && onNode.has(`${p.metadata?.namespace}/${v.persistentVolumeClaim.claimName}`)));
    // One pod's failure (e.g. its namespace being deleted) must not hold up the others.
    const failures: string[] = [];
    for (const pod of stuck) {
      try {
        if (await cleanUp(deps, pod, req.name, node, verdict.reason, log)) forceDeletions.inc({ node: req.name, dry_run: String(deps.dryRun) });
      } catch (err) {
        failures.push(`${pod.metadata?.namespace}/${pod.metadata?.name}: ${apiMessage(err)}`);
      }
    }
    if (failures.length) throw new Error(`could not clean up ${failures.join("; ")}`);
    // New XLSS pods cannot land on a gone node, but keep watching until it recovers or goes away.
    return { requeueAfterMs: 30_000 };
  };
}

/** When the node's Ready condition last left True, if it is not Ready now. */
export function notReadySince(node: V1Node | undefined): string | undefined {
  const ready = node?.status?.conditions?.find((c) => c.type === "Ready");
  if (!ready || ready.status === "True" || !ready.lastTransitionTime) return undefined;
  return new Date(ready.lastTransitionTime).toISOString();
}

/** Force-deletes one stuck pod of a gone node, after opening the record of its recovery; false if it was gone already. */
async function cleanUp(deps: GuardianDeps, pod: V1Pod, nodeName: string, node: V1Node | undefined, reason: string, log: Logger): Promise<boolean> {
  const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  const ref = podRef(pod);
  if (deps.dryRun) {
    await deps.events.record(ref, { type: "Warning", reason: "WouldForceDelete", message: `dry run: would force-delete; node ${nodeName} is gone: ${reason}` });
    log.warn({ pod: name, reason }, "dry run: would force-delete pod");
    return true;
  }
  // The record first: the replacement pod appears the moment this one is gone, and the scheduler
  // looks for the incident it belongs to. A namespace being deleted takes no new objects: then the
  // pod is cleaned up without one (nothing will be recovered there anyway).
  const cleanupStart = new Date().toISOString();
  let failover: XlssFailover | undefined;
  try {
    failover = await openFailover(deps.clients, {
      namespace: pod.metadata?.namespace ?? "",
      podName: pod.metadata?.name ?? "",
      podUid: pod.metadata?.uid ?? "",
      failedNode: nodeName,
      reason,
      status: { phase: "Rescheduling", ...withStage(withStage({}, "Detect", notReadySince(node) ?? cleanupStart, cleanupStart), "Cleanup", cleanupStart) },
    });
  } catch (err) {
    if (apiStatus(err) !== 403) throw err;
    log.info({ pod: name, err: apiMessage(err) }, "no failover record: the namespace takes no new objects");
  }
  const deleted = await forceDeletePod(deps.clients, { name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace ?? "", uid: pod.metadata?.uid ?? "" });
  if (failover) {
    await updateFailoverStatus(deps.clients, failover.metadata.namespace, failover.metadata.name, (f) => {
      if (stageEnd(f.status, "Cleanup")) return false;
      f.status = withStage(f.status ?? {}, "Cleanup", f.status?.stages?.find((st) => st.name === "Cleanup")?.startTime ?? cleanupStart, new Date().toISOString());
      return true;
    });
  }
  if (!deleted) return false;
  const record = failover ? ` (failover ${failover.metadata.name})` : "";
  await deps.events.record(ref, { type: "Warning", reason: "ForceDeleted", message: `force-deleted so it can be recovered elsewhere${record}; node ${nodeName} is gone: ${reason}` });
  log.warn({ pod: name, reason }, "force-deleted pod from a gone node");
  return true;
}
