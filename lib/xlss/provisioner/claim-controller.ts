import type { V1Node, V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Histogram } from "prom-client";
import { jsonPatch, type KubeClients } from "../../k8s/client";
import type { Reconciler, Result } from "../../k8s/controller";
import { apiStatus, isConflict, isNotFound } from "../../k8s/errors";
import { claimRef, type EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { registry } from "../../metrics";
import { createVolume, deleteVolume } from "../api/client";
import { heartbeatExpiresAt, readAgentLease } from "../api/heartbeat";
import { LABELS, PROVISIONER, STORAGE_API_VERSION, VOLUME_FINALIZER, type XlssVolume } from "../api/types";
import { formatBytes, freeBytes } from "../capacity";
import { provisionSize, unprovisionableReason, volumeNameFor } from "./claim-checks";
import { nodeLocks, poolRoom } from "./node-room";

export const SELECTED_NODE = "volume.kubernetes.io/selected-node";
export const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

const provisionSeconds = new Histogram({
  name: "xlss_provisioning_duration_seconds",
  help: "Time from the claim's volume being requested to its PersistentVolume existing, by result.",
  labelNames: ["result"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  registers: [registry],
});

export interface ClaimReconcilerDeps {
  clients: KubeClients;
  claims: Informer<V1PersistentVolumeClaim>;
  classes: Informer<V1StorageClass>;
  volumes: Informer<XlssVolume>;
  persistentVolumes: Informer<V1PersistentVolume>;
  events: EventRecorder;
  log: Logger;
}


/**
 * Provisions local volumes for claims of xlss StorageClasses once a scheduler has picked a node
 * (the `selected-node` annotation, WaitForFirstConsumer): asks that node's agent for a volume
 * (an XlssVolume), and when the agent reports it Ready creates the local PersistentVolume pinned to
 * the node and pre-bound to the claim. When the node cannot take the volume (no room, agent down,
 * node gone) it says why in an Event on the claim and removes `selected-node` so the pod is
 * scheduled again, as Kubernetes' external provisioners do. Every step is idempotent and every name
 * derives from the claim's uid, so a crash anywhere yields exactly one volume per claim.
 */
export function claimReconciler(deps: ClaimReconcilerDeps): Reconciler {
  return async (req, { log }) => {
    const pvc = deps.claims.get(req.name, req.namespace);
    if (!pvc || pvc.metadata?.deletionTimestamp || pvc.spec?.volumeName) return;
    const cls = deps.classes.get(pvc.spec?.storageClassName ?? "");
    if (cls?.provisioner !== PROVISIONER) return;
    const node = pvc.metadata?.annotations?.[SELECTED_NODE];
    if (!node) return;

    const invalid = unprovisionableReason(pvc);
    if (invalid) {
      // No node could do better, so the claim is not sent back to the scheduler.
      await deps.events.record(claimRef(pvc), { type: "Warning", reason: "ProvisioningFailed", message: invalid });
      return;
    }

    const name = volumeNameFor(pvc);
    const vol = deps.volumes.get(name);
    if (!vol) {
      return nodeLocks.run(node, () => requestVolume(deps, pvc, cls, node, log));
    }
    if (vol.spec.nodeName !== node || vol.status?.phase === "Failed") {
      // The agent refused, or the claim was rescheduled to another node before its PV existed.
      const why =
        vol.spec.nodeName !== node
          ? `the claim moved from ${vol.spec.nodeName} to ${node}`
          : `node ${node} could not create the volume: ${vol.status?.message ?? "unknown error"}`;
      await deleteVolume(deps.clients, name);
      if (vol.spec.nodeName === node) {
        provisionSeconds.observe({ result: "failed" }, ageSeconds(vol));
        return reschedule(deps, pvc, node, why);
      }
      log.info({ from: vol.spec.nodeName, to: node }, "claim rescheduled; old volume request dropped");
      return { requeueAfterMs: 1000 };
    }
    if (vol.status?.phase !== "Ready") {
      // Waiting for the agent; its status change wakes us. Check its heartbeat now and then.
      if (!(await agentAlive(deps, node))) {
        await deleteVolume(deps.clients, name);
        return reschedule(deps, pvc, node, `the storage agent on ${node} is not running`);
      }
      return { requeueAfterMs: 15_000 };
    }
    if (!deps.persistentVolumes.get(name)) {
      await createPersistentVolume(deps, pvc, cls, vol);
      provisionSeconds.observe({ result: "succeeded" }, ageSeconds(vol));
      await deps.events.record(claimRef(pvc), {
        type: "Normal",
        reason: "ProvisioningSucceeded",
        message: `provisioned ${name} (${vol.spec.capacity}) on ${node} at ${vol.status.path}`,
      });
      log.info({ volume: name, node }, "provisioned");
    }
  };
}

async function requestVolume(
  deps: ClaimReconcilerDeps,
  pvc: V1PersistentVolumeClaim,
  cls: V1StorageClass,
  node: string,
  log: Logger,
): Promise<Result | void> {
  const size = provisionSize(pvc);
  const refusal = await nodeRefusal(deps, node, size.bytes);
  if (refusal) return reschedule(deps, pvc, node, refusal);
  const meta = pvc.metadata ?? {};
  const vol: XlssVolume = {
    apiVersion: STORAGE_API_VERSION,
    kind: "XlssVolume",
    metadata: {
      name: volumeNameFor(pvc),
      finalizers: [VOLUME_FINALIZER],
      labels: { [LABELS.node]: node, [LABELS.claimNamespace]: meta.namespace ?? "", [LABELS.claimName]: meta.name ?? "" },
    },
    spec: {
      nodeName: node,
      capacity: size.quantity,
      claimRef: { namespace: meta.namespace ?? "", name: meta.name ?? "", uid: meta.uid ?? "" },
      storageClassName: cls.metadata?.name,
      reclaimPolicy: cls.reclaimPolicy === "Retain" ? "Retain" : "Delete",
    },
  };
  try {
    await createVolume(deps.clients, vol);
    log.info({ volume: vol.metadata.name, node }, "volume requested from the node agent");
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  return { requeueAfterMs: 15_000 };
}

/**
 * Why `node` cannot take a volume of `bytes` now, or undefined. Counts the node's volumes from a
 * live list (not the cache) under the per-node lock (shared with resizes), so two claims can never both take the last room.
 */
async function nodeRefusal(deps: ClaimReconcilerDeps, node: string, bytes: number): Promise<string | undefined> {
  let nodeObj: V1Node;
  try {
    nodeObj = await deps.clients.core.readNode({ name: node });
  } catch (err) {
    if (isNotFound(err)) return `node ${node} does not exist`;
    throw err;
  }
  if (nodeObj.metadata?.deletionTimestamp) return `node ${node} is being deleted`;
  if (!(await agentAlive(deps, node))) return `the storage agent on ${node} is not running`;
  const room = await poolRoom(deps.clients, node);
  if (room.capacityBytes === undefined) return `node ${node} has not reported its storage pool yet`;
  const free = freeBytes(room.capacityBytes, room.volumes);
  if (bytes > free) {
    return `node ${node} has ${formatBytes(Math.max(0, free))} free for volumes, the claim asks for ${formatBytes(bytes)}`;
  }
  return undefined;
}

/** The node's agent is alive while its heartbeat Lease has not run out. */
async function agentAlive(deps: ClaimReconcilerDeps, node: string): Promise<boolean> {
  return heartbeatExpiresAt(await readAgentLease(deps.clients, node)) > Date.now();
}

/**
 * Sends the claim back to the scheduler: an Event saying why, then `selected-node` removed with a
 * JSON patch that first tests it still names `node` (a newer decision is never undone).
 */
async function reschedule(deps: ClaimReconcilerDeps, pvc: V1PersistentVolumeClaim, node: string, why: string): Promise<void> {
  await deps.events.record(claimRef(pvc), { type: "Warning", reason: "ProvisioningFailed", message: `${why}; rescheduling` });
  const path = `/metadata/annotations/${SELECTED_NODE.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  try {
    await deps.clients.core.patchNamespacedPersistentVolumeClaim(
      {
        name: pvc.metadata?.name ?? "",
        namespace: pvc.metadata?.namespace ?? "",
        body: [
          { op: "test", path, value: node },
          { op: "remove", path },
        ],
      },
      jsonPatch,
    );
  } catch (err) {
    // 422: the annotation changed or is gone already; 404: the claim is gone. Nothing to undo.
    if (!isNotFound(err) && apiStatus(err) !== 422) throw err;
  }
  deps.log.warn({ claim: `${pvc.metadata?.namespace}/${pvc.metadata?.name}`, node, why }, "claim sent back to the scheduler");
}

async function createPersistentVolume(
  deps: ClaimReconcilerDeps,
  pvc: V1PersistentVolumeClaim,
  cls: V1StorageClass,
  vol: XlssVolume,
): Promise<void> {
  const meta = pvc.metadata ?? {};
  const pv: V1PersistentVolume = {
    metadata: {
      name: vol.metadata.name,
      labels: { [LABELS.node]: vol.spec.nodeName, [LABELS.claimNamespace]: meta.namespace ?? "", [LABELS.claimName]: meta.name ?? "" },
      annotations: { [PROVISIONED_BY]: PROVISIONER },
    },
    spec: {
      capacity: { storage: vol.spec.capacity },
      accessModes: pvc.spec?.accessModes,
      volumeMode: "Filesystem",
      storageClassName: cls.metadata?.name,
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? "Delete",
      mountOptions: cls.mountOptions,
      local: { path: vol.status?.path ?? "" },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [vol.spec.nodeName] }] }],
        },
      },
      // Pre-bound with the uid: only this claim, not a later one of the same name, can bind it.
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: meta.namespace, name: meta.name, uid: meta.uid },
    },
  };
  try {
    await deps.clients.core.createPersistentVolume({ body: pv });
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
}

const ageSeconds = (obj: { metadata?: { creationTimestamp?: Date | string } }) =>
  obj.metadata?.creationTimestamp ? (Date.now() - new Date(obj.metadata.creationTimestamp).getTime()) / 1000 : 0;

