import type { V1Node, V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeClients } from "../../k8s/client";
import type { Reconciler } from "../../k8s/controller";
import { isNotFound } from "../../k8s/errors";
import type { Informer } from "../../k8s/informer";
import { deleteVolume, removeVolumeFinalizer } from "../api/client";
import { PROVISIONER, VOLUME_FINALIZER, type XlssFailover, type XlssVolume } from "../api/types";
import { PROVISIONED_BY } from "./claim-controller";

export interface ReleaseReconcilerDeps {
  clients: KubeClients;
  claims: Informer<V1PersistentVolumeClaim>;
  volumes: Informer<XlssVolume>;
  persistentVolumes: Informer<V1PersistentVolume>;
  failovers: Informer<XlssFailover>;
  nodes: Informer<V1Node>;
}

/**
 * Whether the old copy of a moved volume may go: only once the recovery that moved it completed (the
 * new copy is in use by a Ready pod), and either its node's agent has quarantined it (so the node is
 * back and has seen the move) and the quarantine has run out, or the node has been removed from the
 * cluster (an administrator's word that the machine is not coming back). Returns how long to wait,
 * or undefined when only an event can change the answer.
 */
export function quarantineVerdict(
  vol: XlssVolume,
  failover: XlssFailover | undefined,
  now: number,
  nodeRemoved = false,
): { release: boolean; waitMs?: number } {
  if (!vol.spec.movedTo) return { release: true };
  if (failover?.status?.phase !== "Completed") return { release: false };
  if (nodeRemoved) return { release: true };
  if (vol.status?.phase !== "Quarantined" || !vol.status.quarantinedUntil) return { release: false };
  const left = Date.parse(vol.status.quarantinedUntil) - now;
  return left > 0 ? { release: false, waitMs: left } : { release: true };
}

/**
 * The deleting half of the provisioner, keyed by volume name (a PV and its XlssVolume share it):
 * a Released PV of ours with reclaim policy Delete is deleted, then its XlssVolume, whose finalizer
 * makes the node agent remove the data. Retain keeps both. An XlssVolume left without PV and claim
 * by a crash between those steps (or a claim deleted before its PV existed) is collected too. The
 * old copy of a volume the rescue moved to another node is kept until `quarantineVerdict` allows.
 * The data of a volume whose node was removed from the cluster cannot be deleted by anyone, so its
 * finalizer is dropped once the volume is deleted: the object goes, the directory is forgotten.
 */
export function releaseReconciler(deps: ReleaseReconcilerDeps): Reconciler {
  const nodeRemoved = (vol: XlssVolume) => deps.nodes.get(vol.spec.nodeName) === undefined;
  const forgetData = async (vol: XlssVolume, log: Logger) => {
    if (!nodeRemoved(vol) || !vol.metadata.finalizers?.includes(VOLUME_FINALIZER)) return;
    await removeVolumeFinalizer(deps.clients, vol, VOLUME_FINALIZER);
    log.warn({ node: vol.spec.nodeName, path: vol.status?.path }, "volume deleted; its node was removed from the cluster, so its data there is forgotten, not removed");
  };
  return async (req, { log }) => {
    const pv = deps.persistentVolumes.get(req.name);
    if (pv) {
      if (pv.metadata?.annotations?.[PROVISIONED_BY] !== PROVISIONER) return;
      if (pv.status?.phase !== "Released" || pv.spec?.persistentVolumeReclaimPolicy !== "Delete") return;
      const vol = deps.volumes.get(req.name);
      if (vol?.spec.movedTo) {
        const [ns, name] = vol.spec.movedTo.failover.split("/");
        const verdict = quarantineVerdict(vol, deps.failovers.get(name ?? "", ns), Date.now(), nodeRemoved(vol));
        if (!verdict.release) return verdict.waitMs !== undefined ? { requeueAfterMs: verdict.waitMs + 500 } : undefined;
      }
      try {
        await deps.clients.core.deletePersistentVolume({ name: req.name, body: { preconditions: { uid: pv.metadata?.uid } } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      await deleteVolume(deps.clients, req.name);
      log.info({ claim: `${pv.spec.claimRef?.namespace}/${pv.spec.claimRef?.name}` }, "released volume deleted");
      if (vol) await forgetData(vol, log);
      return;
    }
    const vol = deps.volumes.get(req.name);
    if (!vol) return;
    if (vol.metadata.deletionTimestamp) return forgetData(vol, log);
    if (vol.spec.reclaimPolicy === "Retain") return;
    const claim = deps.claims.get(vol.spec.claimRef.name, vol.spec.claimRef.namespace);
    if (claim?.metadata?.uid === vol.spec.claimRef.uid) return; // Still being provisioned.
    await deleteVolume(deps.clients, req.name);
    log.info("orphaned volume (no claim, no PV) deleted");
    await forgetData(vol, log);
  };
}
