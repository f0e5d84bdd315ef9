import type { V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { Counter } from "prom-client";
import { z } from "zod";
import { mergePatch, type KubeClients } from "../../../k8s/client";
import { apiMessage, isConflict, isNotFound } from "../../../k8s/errors";
import { podRef } from "../../../k8s/events";
import { sleep } from "../../../k8s/sleep";
import { log as rootLog } from "../../../log";
import { registry } from "../../../metrics";
import { parseJsonOrUndefined } from "../../../json";
import { createRestore, deleteRestore, getFailover, getRestore, markVolumeMoved, updateFailoverStatus } from "../../api/client";
import { agentLeaseName, LABELS, PROVISIONER, STORAGE_API_VERSION, SYSTEM_NAMESPACE, type FailoverClaim } from "../../api/types";
import { quantityBytes } from "../../capacity";
import { activeFailover, incidentStart, isFinished, openFailover, rpoSeconds, stageEnd, withStage } from "../../guardian/failover-record";
import { notReadySince } from "../../guardian/node-controller";
import { nodeVerdict } from "../../guardian/verdict";
import { MIN_CAPACITY } from "../../provisioner/claim-checks";
import { PROVISIONED_BY } from "../../provisioner/claim-controller";
import { pinnedTo } from "../../rescuer/volume-controller";
import type { CycleState, FilterPlugin, NodeInfo, PreBindPlugin, PreFilterPlugin, Snapshot } from "../framework/interfaces";
import { Status, type MaybeStatus } from "../framework/status";
import type { SchedulerHandle } from "../handle";
import { amount } from "./helpers";
import { MOVING_CLAIMS, provisionOn, type MovingClaims } from "./volume-binding";

export const RESCUE = "XlssRescue";
/** On a pod being rescued: which claims move, from where, and the incident's record (JSON). */
export const RESCUE_MARK = "storage.xlss.io/rescue";
/** On a claim: what to do when its node is gone and it has no backup — Wait (default) or StartEmpty. */
export const ON_MISSING_BACKUP = "storage.xlss.io/on-missing-backup";
/**
 * On a re-created claim until its data is restored: the claim's part of the mark (JSON), so that a
 * replacement of the marked pod — deleted mid-rescue — adopts the rescue instead of starting on the
 * still empty volume.
 */
export const CLAIM_MARK = "storage.xlss.io/rescue-restore";
/** Touched on the pod while it waits for its StatefulSet to re-create a claim; removed with the mark. */
const RESCUE_NUDGE = "storage.xlss.io/rescue-nudge";

const rescues = new Counter({
  name: "xlss_rescue_total",
  help: "Rescue steps of pods whose volume was on a gone node: marked, restored, waiting (no backup), failed.",
  labelNames: ["result"] as const,
  registers: [registry],
});

/** The plugin's args in the scheduler configuration. */
export const rescueArgs = z.strictObject({
  /** A volume's node NotReady this long, with its agent's heartbeat expired, is gone (the guardian's rule and window). */
  nodeGoneWindowSeconds: z.number().int().min(1).default(60),
  /** How long one PreBind may take to move the volumes and restore their data. */
  restoreTimeoutSeconds: z.number().int().min(1).default(3600),
});
export type RescueArgs = z.infer<typeof rescueArgs>;

const markSchema = z.object({
  failover: z.string().min(1),
  claims: z
    .array(
      z.object({
        name: z.string().min(1),
        oldUid: z.string().min(1),
        oldVolume: z.string().min(1),
        oldNode: z.string().min(1),
        storageClassName: z.string(),
        storage: z.string().min(1),
        accessModes: z.array(z.string()),
        startEmpty: z.boolean(),
      }),
    )
    .min(1),
});
type RescueMark = z.infer<typeof markSchema>;
type MarkedClaim = RescueMark["claims"][number];
const claimMarkSchema = z.object({ failover: z.string().min(1), claim: markSchema.shape.claims.element });

type RescueDeps = Pick<SchedulerHandle, "clients" | "claims" | "volumes" | "agentLeases" | "backups" | "events">;
const log = rootLog.child({ component: "xlss-scheduler", plugin: "XlssRescue" });

interface RescueCycle {
  mark: RescueMark;
  failedNodes: Set<string>;
}

/**
 * The XLSS rescue (the case study's scheduler extension). PreFilter finds a pod whose bound local
 * volume sits on a node that is gone (by the guardian's rule, or deleted) and marks it: the
 * annotation records which claims move and why, before anything is changed, so a restarted
 * scheduler carries on. Filter keeps the pod off the dead node and, through volume binding, asks
 * only for room on the candidates. PreBind moves each volume: deletes the old claim (pvc-protection
 * lets it go, the old pod being gone), lets the StatefulSet controller re-create it, has it
 * provisioned on the chosen node, restores the newest snapshot into it, and only then removes the
 * mark — Bind follows. A claim with no backup waits (a FailedScheduling event says so) unless it is
 * annotated to start empty: never a silent start on an empty volume.
 */
export function rescue(args: RescueArgs, deps: RescueDeps): PreFilterPlugin & FilterPlugin & PreBindPlugin {
  const nodeGone = (name: string, snapshot: Snapshot) => {
    const info = snapshot.get(name);
    if (!info) return { gone: true, reason: `node ${name} no longer exists` };
    return nodeVerdict(info.node, deps.agentLeases.get(agentLeaseName(name), SYSTEM_NAMESPACE), { windowMs: args.nodeGoneWindowSeconds * 1000 }, Date.now());
  };
  const hasBackup = (namespace: string, claim: string) =>
    deps.backups
      .list()
      .some((b) => b.metadata.namespace === namespace && b.spec.claimName === claim && b.status?.phase === "Completed" && !!b.status.snapshotId);

  return {
    name: RESCUE,

    async preFilter(state: CycleState, pod: V1Pod, snapshot: Snapshot): Promise<MaybeStatus> {
      const namespace = pod.metadata?.namespace ?? "";
      const names = (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
      if (names.length === 0) return Status.skip();
      const raw = pod.metadata?.annotations?.[RESCUE_MARK];
      let mark: RescueMark | undefined;
      if (raw) {
        const parsed = markSchema.safeParse(parseJsonOrUndefined(raw));
        if (!parsed.success) return Status.unresolvable(`the pod's ${RESCUE_MARK} annotation is invalid (${z.prettifyError(parsed.error)}); fix or remove it`);
        mark = parsed.data;
      }

      const found: MarkedClaim[] = [];
      const adopted: MarkedClaim[] = [];
      let adoptedFailover: string | undefined;
      let goneReason = "";
      let waiting: string | undefined;
      for (const name of names) {
        if (mark?.claims.some((c) => c.name === name)) continue;
        const claim = deps.claims.get(name, namespace);
        const pending = claim?.metadata?.annotations?.[CLAIM_MARK];
        if (pending) {
          const parsed = claimMarkSchema.safeParse(parseJsonOrUndefined(pending));
          if (!parsed.success) return Status.unresolvable(`claim ${name}'s ${CLAIM_MARK} annotation is invalid (${z.prettifyError(parsed.error)}); fix or remove it`);
          // Only an unfinished incident's mark counts: a leftover must never restore over live data.
          const record = await getFailover(deps.clients, namespace, parsed.data.failover);
          if (record && !isFinished(record)) {
            adopted.push(parsed.data.claim);
            adoptedFailover = parsed.data.failover;
            continue;
          }
          await patchClaimMark(deps, claim!, null);
        }
        const pv = claim?.spec?.volumeName ? deps.volumes.get(claim.spec.volumeName) : undefined;
        if (!claim || !pv || pv.metadata?.annotations?.[PROVISIONED_BY] !== PROVISIONER) continue;
        const node = pinnedTo(pv);
        if (!node) continue;
        const verdict = nodeGone(node, snapshot);
        if (!verdict.gone) {
          if (verdict.reason !== "Ready") waiting = `the volume of claim ${name} is on node ${node}: ${verdict.reason}`;
          continue;
        }
        const policy = claim.metadata?.annotations?.[ON_MISSING_BACKUP] ?? "Wait";
        const startEmpty = !hasBackup(namespace, name);
        if (startEmpty && policy !== "StartEmpty") {
          rescues.inc({ result: "waiting" });
          await noteWaiting(deps.clients, pod, node, verdict.reason, name);
          const bad = policy === "Wait" ? "" : ` (its ${ON_MISSING_BACKUP} value "${policy}" is not Wait or StartEmpty, so it waits)`;
          return Status.unresolvable(
            `the volume of claim ${name} is on node ${node}, which is gone (${verdict.reason}), and the claim has no backup to restore${bad}; ` +
              `waiting for the node or a backup — annotate the claim ${ON_MISSING_BACKUP}=StartEmpty to start it on an empty volume`,
          );
        }
        goneReason = verdict.reason;
        found.push({
          name,
          oldUid: claim.metadata?.uid ?? "",
          oldVolume: pv.metadata?.name ?? "",
          oldNode: node,
          storageClassName: pv.spec?.storageClassName ?? claim.spec?.storageClassName ?? "",
          storage: largerSize(claim.spec?.resources?.requests?.storage, pv.spec?.capacity?.storage),
          accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
          startEmpty,
        });
      }
      if (adopted.length > 0) {
        mark = { failover: mark?.failover ?? adoptedFailover!, claims: [...(mark?.claims ?? []), ...adopted] };
        await writeMark(deps, pod, mark);
        await deps.events.record(podRef(pod), {
          type: "Warning",
          reason: "RescueResumed",
          message: `the restore of ${adopted.map((c) => c.name).join(", ")} (failover ${mark.failover}) was not finished when this pod's predecessor went; carrying on`,
        });
      }
      if (found.length > 0) {
        const downSince = notReadySince(snapshot.get(found[0]!.oldNode)?.node) ?? new Date().toISOString();
        mark = await markPod(deps, pod, mark, found, goneReason, downSince);
      }
      if (!mark) return waiting ? Status.unschedulable(waiting) : Status.skip();

      // Claims still to move (the old claim, or none yet): volume binding only checks room for them.
      const moving: MovingClaims = new Map();
      for (const c of mark.claims) {
        const live = deps.claims.get(c.name, namespace);
        if (!live || live.metadata?.uid === c.oldUid) moving.set(c.name, { storageClassName: c.storageClassName, bytes: amount("storage", c.storage) });
      }
      state.write(MOVING_CLAIMS, moving);
      state.write<RescueCycle>(RESCUE, { mark, failedNodes: new Set(mark.claims.map((c) => c.oldNode)) });
      return undefined;
    },

    filter(state: CycleState, _pod: V1Pod, n: NodeInfo): MaybeStatus {
      const cycle = state.read<RescueCycle>(RESCUE);
      if (cycle?.failedNodes.has(n.node.metadata?.name ?? "")) return Status.unresolvable("node(s) were gone with the pod's volumes");
      return undefined;
    },

    async preBind(state: CycleState, pod: V1Pod, nodeName: string, signal: AbortSignal): Promise<MaybeStatus> {
      const cycle = state.read<RescueCycle>(RESCUE);
      if (!cycle) return undefined;
      const { mark } = cycle;
      const namespace = pod.metadata?.namespace ?? "";
      const deadline = Date.now() + args.restoreTimeoutSeconds * 1000;
      const now = new Date().toISOString();
      await updateFailoverStatus(deps.clients, namespace, mark.failover, (f) => {
        if (f.status?.newNode === nodeName) return false;
        const start = stageEnd(f.status, "Cleanup") ?? incidentStart(f.status) ?? pod.metadata?.creationTimestamp?.toString() ?? now;
        f.status = { ...withStage(f.status ?? {}, "Reschedule", new Date(start).toISOString(), now), phase: "Restoring", newNode: nodeName, message: "" };
        return true;
      });

      const done: FailoverClaim[] = [];
      for (const c of mark.claims) {
        try {
          await markVolumeMoved(deps.clients, c.oldVolume, { node: nodeName, failover: `${namespace}/${mark.failover}`, time: now });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        const claim = await replaceClaim(deps, pod, c, deadline, signal);
        if (!claim) return Status.error(`claim ${c.name} was not re-created in time for the move to ${nodeName}`);
        await keepSize(deps, claim, c.storage);
        if (!c.startEmpty && !claim.metadata?.annotations?.[CLAIM_MARK]) {
          await patchClaimMark(deps, claim, JSON.stringify({ failover: mark.failover, claim: c }));
        }
        const provisioned = await provisionOn(deps.clients, claim, nodeName, deadline, signal);
        if (provisioned) return provisioned;
        const bound = await deps.clients.core.readNamespacedPersistentVolumeClaim({ name: c.name, namespace });
        const newVolume = bound.spec?.volumeName ?? "";
        if (c.startEmpty) {
          done.push({ name: c.name, oldVolume: c.oldVolume, newVolume, startedEmpty: true });
          continue;
        }
        const restored = await restoreInto(deps, pod, c, newVolume, mark.failover, deadline, signal);
        if (restored instanceof Status) return restored;
        done.push(restored);
      }

      await updateFailoverStatus(deps.clients, namespace, mark.failover, (f) => {
        const end = new Date().toISOString();
        const start = stageEnd(f.status, "Reschedule") ?? now;
        f.status = {
          ...withStage(f.status ?? {}, "Restore", start, end),
          phase: "Starting",
          claims: done,
          rpoSeconds: rpoSeconds(incidentStart(f.status), done.filter((d) => !d.startedEmpty).map((d) => d.snapshotTime)),
        };
        return true;
      });
      // The data is back: unmark the claims, then the pod (guarded by uids), and Bind follows.
      for (const c of mark.claims) {
        const live = await deps.clients.core.readNamespacedPersistentVolumeClaim({ name: c.name, namespace });
        if (live.metadata?.annotations?.[CLAIM_MARK]) await patchClaimMark(deps, live, null);
      }
      await deps.clients.core.patchNamespacedPod(
        { name: pod.metadata?.name ?? "", namespace, body: { metadata: { uid: pod.metadata?.uid, annotations: { [RESCUE_MARK]: null, [RESCUE_NUDGE]: null } } } },
        mergePatch,
      );
      rescues.inc({ result: "restored" });
      await deps.events.record(podRef(pod), {
        type: "Normal",
        reason: "Rescued",
        message: `volumes of ${mark.claims.map((c) => c.name).join(", ")} moved to ${nodeName}` +
          (done.some((d) => d.snapshotId) ? ` with snapshot ${done.map((d) => d.snapshotId?.slice(0, 8) ?? "(empty)").join(", ")} restored` : " empty, as their policy allows"),
      });
      return undefined;
    },
  };
}

/** The larger of a claim's request and its volume's size (a rescued claim's volume may exceed its request). */
function largerSize(request: string | undefined, capacity: string | undefined): string {
  if (!request || !capacity) return request ?? capacity ?? "0";
  return (quantityBytes(capacity) ?? 0) > (quantityBytes(request) ?? 0) ? capacity : request;
}

/**
 * A StatefulSet re-creates the claim from its template, which may ask for less than the volume it
 * replaces had grown to: the claim is told to be provisioned at least as large, or the restored data
 * would not fit its size.
 */
async function keepSize(deps: RescueDeps, claim: V1PersistentVolumeClaim, oldSize: string): Promise<void> {
  const request = quantityBytes(claim.spec?.resources?.requests?.storage) ?? 0;
  if ((quantityBytes(oldSize) ?? 0) <= request || claim.metadata?.annotations?.[MIN_CAPACITY] === oldSize) return;
  await deps.clients.core.patchNamespacedPersistentVolumeClaim(
    { name: claim.metadata?.name ?? "", namespace: claim.metadata?.namespace ?? "", body: { metadata: { uid: claim.metadata?.uid, annotations: { [MIN_CAPACITY]: oldSize } } } },
    mergePatch,
  );
}

/** Records the mark on the pod (and opens the incident's record if the guardian did not). */
async function markPod(
  deps: RescueDeps,
  pod: V1Pod,
  earlier: RescueMark | undefined,
  found: MarkedClaim[],
  reason: string,
  downSince: string,
): Promise<RescueMark> {
  const namespace = pod.metadata?.namespace ?? "";
  const podName = pod.metadata?.name ?? "";
  const failedNode = found[0]!.oldNode;
  const record =
    (await activeFailover(deps.clients, namespace, podName)) ??
    (await openFailover(deps.clients, {
      namespace,
      podName,
      podUid: pod.metadata?.uid ?? "",
      failedNode,
      reason,
      status: { phase: "Rescheduling", ...withStage({}, "Detect", downSince, new Date().toISOString()) },
    }));
  const mark: RescueMark = { failover: earlier?.failover ?? record.metadata.name, claims: [...(earlier?.claims ?? []), ...found] };
  await writeMark(deps, pod, mark);
  rescues.inc({ result: "marked" });
  const empty = found.filter((c) => c.startEmpty).map((c) => c.name);
  await deps.events.record(podRef(pod), {
    type: "Warning",
    reason: "RescueStarted",
    message:
      `the volumes of ${found.map((c) => c.name).join(", ")} are on node ${failedNode}, which is gone (${reason}); ` +
      `moving them to a healthy node and restoring their newest snapshot (failover ${record.metadata.name})` +
      (empty.length ? `; ${empty.join(", ")} start empty: no backup, and their policy allows it` : ""),
  });
  log.warn({ pod: `${namespace}/${podName}`, claims: found.map((c) => c.name), node: failedNode }, "rescue started");
  return mark;
}

async function writeMark(deps: RescueDeps, pod: V1Pod, mark: RescueMark): Promise<void> {
  await deps.clients.core.patchNamespacedPod(
    { name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace ?? "", body: { metadata: { uid: pod.metadata?.uid, annotations: { [RESCUE_MARK]: JSON.stringify(mark) } } } },
    mergePatch,
  );
}

async function patchClaimMark(deps: RescueDeps, claim: V1PersistentVolumeClaim, value: string | null): Promise<void> {
  await deps.clients.core.patchNamespacedPersistentVolumeClaim(
    { name: claim.metadata?.name ?? "", namespace: claim.metadata?.namespace ?? "", body: { metadata: { uid: claim.metadata?.uid, annotations: { [CLAIM_MARK]: value } } } },
    mergePatch,
  );
}

/** The failover record shows that the pod waits for a backup (or its node) instead of starting empty. */
async function noteWaiting(clients: KubeClients, pod: V1Pod, node: string, reason: string, claim: string): Promise<void> {
  const record = await activeFailover(clients, pod.metadata?.namespace ?? "", pod.metadata?.name ?? "");
  if (!record) return;
  const message = `claim ${claim} has no backup; waiting for node ${node} to return or for a backup (${reason})`;
  await updateFailoverStatus(clients, record.metadata.namespace, record.metadata.name, (f) => {
    if (f.status?.phase === "WaitingForBackup" && f.status.message === message) return false;
    f.status = { ...f.status, phase: "WaitingForBackup", message };
    return true;
  });
}

/**
 * The claim, re-created: the old one (bound to the lost volume) is deleted by uid; pvc-protection
 * releases it (no scheduled pod uses it), and the pod's StatefulSet controller creates it again for
 * the Pending pod — touching the pod makes it look. A claim of a pod no StatefulSet owns is
 * re-created here from what the mark recorded. Returns the new claim, or undefined on timeout.
 */
async function replaceClaim(deps: RescueDeps, pod: V1Pod, c: MarkedClaim, deadline: number, signal: AbortSignal): Promise<V1PersistentVolumeClaim | undefined> {
  const namespace = pod.metadata?.namespace ?? "";
  const byStatefulSet = pod.metadata?.ownerReferences?.some((o) => o.controller && o.kind === "StatefulSet");
  let nudged = 0;
  while (Date.now() < deadline && !signal.aborted) {
    let live: V1PersistentVolumeClaim | undefined;
    try {
      live = await deps.clients.core.readNamespacedPersistentVolumeClaim({ name: c.name, namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (live?.metadata?.uid === c.oldUid) {
      if (!live.metadata.deletionTimestamp) {
        try {
          await deps.clients.core.deleteNamespacedPersistentVolumeClaim({ name: c.name, namespace, body: { preconditions: { uid: c.oldUid } } });
        } catch (err) {
          if (!isNotFound(err) && !isConflict(err)) throw err;
        }
      }
    } else if (live && !live.metadata?.deletionTimestamp) {
      return live;
    } else if (!live && !byStatefulSet) {
      try {
        await deps.clients.core.createNamespacedPersistentVolumeClaim({
          namespace,
          body: {
            metadata: { name: c.name, namespace, labels: { [LABELS.pod]: pod.metadata?.name ?? "" } },
            spec: { storageClassName: c.storageClassName, accessModes: c.accessModes, resources: { requests: { storage: c.storage } } },
          },
        });
      } catch (err) {
        if (!isConflict(err)) throw new Error(`re-creating claim ${c.name}: ${apiMessage(err)}`);
      }
    } else if (!live && Date.now() - nudged > 5000) {
      // The StatefulSet controller syncs on pod events, not claim events.
      nudged = Date.now();
      await deps.clients.core.patchNamespacedPod(
        { name: pod.metadata?.name ?? "", namespace, body: { metadata: { uid: pod.metadata?.uid, annotations: { [RESCUE_NUDGE]: new Date(nudged).toISOString() } } } },
        mergePatch,
      );
    }
    await sleep(250, signal);
  }
  return undefined;
}

/**
 * Restores the claim's newest snapshot into its new volume through an XlssRestore (named after the
 * volume, so a retry finds it) and waits for it. A failed restore is deleted so the next attempt
 * starts a fresh one; the pod is not bound meanwhile.
 */
async function restoreInto(
  deps: RescueDeps,
  pod: V1Pod,
  c: MarkedClaim,
  volume: string,
  failover: string,
  deadline: number,
  signal: AbortSignal,
): Promise<FailoverClaim | Status> {
  const namespace = pod.metadata?.namespace ?? "";
  const name = `rescue-${volume}`;
  if (!(await getRestore(deps.clients, namespace, name))) {
    try {
      await createRestore(deps.clients, {
        apiVersion: STORAGE_API_VERSION,
        kind: "XlssRestore",
        metadata: { name, namespace, labels: { [LABELS.claimName]: c.name, [LABELS.pod]: pod.metadata?.name ?? "", "storage.xlss.io/failover": failover } },
        spec: { claimName: c.name, snapshot: "latest", targetVolume: volume },
      });
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
  while (Date.now() < deadline && !signal.aborted) {
    const r = await getRestore(deps.clients, namespace, name);
    if (r?.status?.phase === "Completed") {
      return {
        name: c.name,
        oldVolume: c.oldVolume,
        newVolume: volume,
        restore: name,
        snapshotId: r.status.snapshotId,
        snapshotTime: r.status.snapshotTime,
        bytesRestored: r.status.bytesRestored,
      };
    }
    if (r?.status?.phase === "Failed") {
      rescues.inc({ result: "failed" });
      const message = `restoring claim ${c.name} into ${volume} failed: ${r.status.message ?? "unknown error"}; retrying`;
      await deps.events.record(podRef(pod), { type: "Warning", reason: "RescueRestoreFailed", message });
      await deleteRestore(deps.clients, namespace, name);
      return Status.error(message);
    }
    await sleep(500, signal);
  }
  return Status.error(`restore of claim ${c.name} into ${volume} did not finish in time`);
}
