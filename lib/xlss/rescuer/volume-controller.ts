import type { V1PersistentVolume } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Gauge } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import type { Reconciler, Result } from "../../k8s/controller";
import type { EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { KeyedMutex } from "../../k8s/keyed-mutex";
import { registry } from "../../metrics";
import { patchVolumeStatus, removeVolumeFinalizer } from "../api/client";
import { STORAGE_API_VERSION, VOLUME_FINALIZER, type XlssStoragePool, type XlssVolume } from "../api/types";
import { allocatedBytes, formatBytes, poolCapacityBytes, quantityBytes } from "../capacity";
import { createVolumeDir, measureUsage, removeVolumeDir, volumeDir, volumeDirExists } from "./volume-dir";
import type { FilesystemStats } from "./pool-reporter";

const volumeUsed = new Gauge({
  name: "xlss_volume_used_bytes",
  help: "Bytes a volume's files use on its node, as last measured.",
  labelNames: ["node", "volume", "namespace", "claim"] as const,
  registers: [registry],
});
const volumeOver = new Gauge({
  name: "xlss_volume_over_capacity",
  help: "1 while a volume uses more than its size, else 0.",
  labelNames: ["node", "volume", "namespace", "claim"] as const,
  registers: [registry],
});

/** What the node agent's volume reconciler needs. */
export interface VolumeReconcilerDeps {
  clients: KubeClients;
  node: string;
  root: string;
  volumes: Informer<XlssVolume>;
  pools: Informer<XlssStoragePool>;
  persistentVolumes: Informer<V1PersistentVolume>;
  filesystem: () => Promise<FilesystemStats>;
  events: EventRecorder;
  /** How often a Ready volume's usage is measured. */
  usageIntervalMs: number;
  /** How long the old copy of a volume moved away by a rescue is kept at least. */
  quarantineTtlMs: number;
  log: Logger;
}

const volumeRef = (v: XlssVolume) => ({ apiVersion: STORAGE_API_VERSION, kind: "XlssVolume", metadata: v.metadata });

/**
 * Reconciles the XlssVolumes of this node (topolvm's node reconciler shape): a new volume gets its
 * directory if the pool has room, a Ready one has its usage measured, a deleted one has its data
 * removed — unless a PersistentVolume still points at the directory — and then its finalizer. A
 * volume whose data was moved to another node while this node was gone is quarantined, not used.
 */
export function volumeReconciler(deps: VolumeReconcilerDeps): Reconciler {
  return async (req, { log }) => {
    const vol = deps.volumes.get(req.name);
    if (!vol || vol.spec.nodeName !== deps.node) return;
    const labels = { node: deps.node, volume: vol.metadata.name, namespace: vol.spec.claimRef.namespace, claim: vol.spec.claimRef.name };

    if (vol.metadata.deletionTimestamp) {
      volumeUsed.remove(labels);
      volumeOver.remove(labels);
      return removeData(deps, vol, log);
    }
    if (vol.spec.movedTo) {
      volumeUsed.remove(labels);
      volumeOver.remove(labels);
      return quarantine(deps, vol, log);
    }
    switch (vol.status?.phase) {
      case "Failed":
        return;
      case "Ready":
        return measure(deps, vol, labels);
      default:
        return create(deps, vol, log);
    }
  };
}

// The room check and the directory that takes the room must not interleave between two volumes.
const poolLock = new KeyedMutex();

function create(deps: VolumeReconcilerDeps, vol: XlssVolume, log: Logger): Promise<Result | void> {
  return poolLock.run(deps.node, () => createLocked(deps, vol, log));
}

async function createLocked(deps: VolumeReconcilerDeps, vol: XlssVolume, log: Logger): Promise<Result | void> {
  const name = vol.metadata.name;
  const size = quantityBytes(vol.spec.capacity) ?? 0;
  // A restart after the directory was made but before the status said so: finish the job.
  if (!(await volumeDirExists(deps.root, name))) {
    const fsStats = await deps.filesystem();
    const capacity = poolCapacityBytes(deps.pools.get(deps.node)?.spec, fsStats.totalBytes);
    const others = deps.volumes.list().filter((v) => v.spec.nodeName === deps.node && v.metadata.name !== name);
    const free = capacity - allocatedBytes(others);
    if (size > free) {
      const message = `pool on ${deps.node} has ${formatBytes(Math.max(0, free))} free for volumes; the volume needs ${formatBytes(size)}`;
      await patchVolumeStatus(deps.clients, name, { phase: "Failed", message });
      await deps.events.record(volumeRef(vol), { type: "Warning", reason: "PoolFull", message });
      log.warn({ free, size }, "pool full; volume not created");
      return;
    }
  }
  let path: string;
  try {
    path = await createVolumeDir(deps.root, name);
  } catch (err) {
    const message = `cannot create the volume directory: ${err instanceof Error ? err.message : String(err)}`;
    await patchVolumeStatus(deps.clients, name, { phase: "Failed", message });
    await deps.events.record(volumeRef(vol), { type: "Warning", reason: "CreateFailed", message });
    return;
  }
  await patchVolumeStatus(deps.clients, name, { phase: "Ready", path, usedBytes: 0, message: "", observedGeneration: vol.metadata.generation });
  log.info({ path }, "volume created");
}

async function measure(
  deps: VolumeReconcilerDeps,
  vol: XlssVolume,
  labels: Record<"node" | "volume" | "namespace" | "claim", string>,
): Promise<Result> {
  const name = vol.metadata.name;
  if (!(await volumeDirExists(deps.root, name))) {
    // Never recreate silently: an empty directory where data was is data loss, and must be seen.
    const message = `volume directory ${volumeDir(deps.root, name)} is missing on ${deps.node}`;
    await patchVolumeStatus(deps.clients, name, { phase: "Failed", message });
    await deps.events.record(volumeRef(vol), { type: "Warning", reason: "DirectoryMissing", message });
    return {};
  }
  const used = await measureUsage(volumeDir(deps.root, name));
  const size = quantityBytes(vol.spec.capacity) ?? 0;
  const over = used > size;
  volumeUsed.set(labels, used);
  volumeOver.set(labels, over ? 1 : 0);
  if (over) {
    await deps.events.record(volumeRef(vol), {
      type: "Warning",
      reason: "OverCapacity",
      message: `volume uses ${formatBytes(used)}, more than its size ${formatBytes(size)}`,
    });
  }
  if (used !== vol.status?.usedBytes) {
    await patchVolumeStatus(deps.clients, name, { usedBytes: used, lastMeasured: new Date().toISOString() });
  }
  return { requeueAfterMs: deps.usageIntervalMs };
}

/**
 * This node was given up for dead and the volume's claim now lives elsewhere: keep the old copy for
 * the TTL (someone may need it), touch nothing; the provisioner deletes it once the TTL is over and
 * the move is confirmed healthy.
 */
async function quarantine(deps: VolumeReconcilerDeps, vol: XlssVolume, log: Logger): Promise<void> {
  if (vol.status?.phase === "Quarantined") return;
  const until = new Date(Date.now() + deps.quarantineTtlMs).toISOString();
  const moved = vol.spec.movedTo!;
  const message = `moved to ${moved.node} by failover ${moved.failover} while ${deps.node} was gone; this copy is kept until ${until} and until the move is confirmed healthy`;
  await patchVolumeStatus(deps.clients, vol.metadata.name, { phase: "Quarantined", quarantinedUntil: until, message });
  await deps.events.record(volumeRef(vol), { type: "Warning", reason: "Quarantined", message });
  log.warn({ movedTo: moved.node, failover: moved.failover, until }, "volume quarantined");
}

async function removeData(deps: VolumeReconcilerDeps, vol: XlssVolume, log: Logger): Promise<Result | void> {
  if (!vol.metadata.finalizers?.includes(VOLUME_FINALIZER)) return;
  const dir = volumeDir(deps.root, vol.metadata.name);
  const holder = deps.persistentVolumes
    .list()
    .find((pv) => pv.spec?.local?.path === dir && !pv.metadata?.deletionTimestamp && pinnedTo(pv) === deps.node);
  if (holder) {
    const message = `data kept: PersistentVolume ${holder.metadata?.name} still points at ${dir}`;
    if (vol.status?.message !== message) await patchVolumeStatus(deps.clients, vol.metadata.name, { phase: "Deleting", message });
    return { requeueAfterMs: 10_000 };
  }
  await removeVolumeDir(deps.root, vol.metadata.name);
  await removeVolumeFinalizer(deps.clients, vol, VOLUME_FINALIZER);
  log.info({ path: dir }, "volume data removed");
}

/** The node a local PV's required node affinity names (kubernetes.io/hostname In [node]). */
export function pinnedTo(pv: V1PersistentVolume): string | undefined {
  for (const term of pv.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    for (const expr of term.matchExpressions ?? []) {
      if (expr.key === "kubernetes.io/hostname" && expr.operator === "In" && expr.values?.length === 1) return expr.values[0];
    }
  }
  return undefined;
}
