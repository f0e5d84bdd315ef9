import fs from "node:fs/promises";
import path from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import type { Reconciler, Result } from "../../k8s/controller";
import type { EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { registry } from "../../metrics";
import { getVolume, deleteRestore, patchRestoreStatus } from "../api/client";
import { STORAGE_API_VERSION, type XlssRestore, type XlssRestoreStatus, type XlssVolume } from "../api/types";
import { treeStats, volumeDir } from "../rescuer/volume-dir";
import type { BackupRepositories } from "./repository";
import { ResticError, type Snapshot } from "./restic";

const metrics = {
  total: new Counter({ name: "xlss_restore_total", help: "Finished restores by result.", labelNames: ["result"] as const, registers: [registry] }),
  duration: new Histogram({
    name: "xlss_restore_duration_seconds",
    help: "Duration of completed restores.",
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [registry],
  }),
  throughput: new Gauge({
    name: "xlss_restore_throughput_bytes_per_second",
    help: "Bytes per second of the node's latest completed restore.",
    labelNames: ["node"] as const,
    registers: [registry],
  }),
};

export interface RestoreReconcilerDeps {
  clients: KubeClients;
  node: string;
  root: string;
  restores: Informer<XlssRestore>;
  /** This node's volumes. */
  volumes: Informer<XlssVolume>;
  /** Pods bound to this node. */
  pods: Informer<V1Pod>;
  repos: BackupRepositories;
  events: EventRecorder;
  /** How long finished restores stay as history before they are deleted. */
  ttlMs: number;
  log: Logger;
}

/** Errors worth retrying with backoff rather than failing the restore. */
const TRANSIENT = new Set(["locked", "unreachable", "aborted"]);

/**
 * Runs the XlssRestores whose target volume lives on this node (velero's phase machine): Pending →
 * Running → Completed | Failed. The snapshot is restored into `<root>/staging/<restore uid>`, checked
 * against restic's own count of entries and bytes, marked verified, and only then swapped in for the
 * volume's directory (the old contents go to `<root>/trash` and are removed). A crash before the
 * marker restarts the restore from scratch; a crash after it finishes the swap. So the volume shows
 * either its old data or the whole verified snapshot, never a partial restore.
 */
export function restoreReconciler(deps: RestoreReconcilerDeps): Reconciler {
  return async (req, { log, signal }) => {
    const r = deps.restores.get(req.name, req.namespace);
    if (!r) return;
    const phase = r.status?.phase;
    if (phase === "Completed" || phase === "Failed") return expire(deps, r);

    const vol = deps.volumes.get(r.spec.targetVolume);
    if (!vol) {
      // Another node's agent owns it, unless it exists nowhere: then whoever looks fails the request.
      if (!(await getVolume(deps.clients, r.spec.targetVolume))) {
        return fail(deps, r, `target volume ${r.spec.targetVolume} does not exist`);
      }
      return;
    }
    if (vol.spec.nodeName !== deps.node) return;
    if (vol.metadata.deletionTimestamp) return fail(deps, r, `target volume ${vol.metadata.name} is being deleted`);
    if (vol.status?.phase !== "Ready") {
      await setStatus(deps, r, { phase: "Pending", node: deps.node, message: `waiting for volume ${vol.metadata.name} to be Ready` });
      return { requeueAfterMs: 2000 };
    }
    if (!r.spec.force) {
      const user = deps.pods
        .list()
        .find(
          (p) =>
            p.metadata?.namespace === vol.spec.claimRef.namespace &&
            p.status?.phase === "Running" &&
            !p.metadata?.deletionTimestamp &&
            p.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === vol.spec.claimRef.name),
        );
      if (user) {
        return fail(deps, r, `volume ${vol.metadata.name} is in use by running pod ${user.metadata?.name}; stop it first or set spec.force to overwrite`);
      }
    }
    try {
      return await run(deps, r, vol, log, signal);
    } catch (err) {
      if (err instanceof ResticError && TRANSIENT.has(err.kind)) throw err;
      return fail(deps, r, err instanceof Error ? err.message : String(err));
    }
  };
}

async function run(deps: RestoreReconcilerDeps, r: XlssRestore, vol: XlssVolume, log: Logger, signal: AbortSignal): Promise<Result | void> {
  const uid = r.metadata.uid ?? r.metadata.name;
  const staging = path.join(deps.root, "staging", uid);
  const marker = `${staging}.verified`;
  const startTime = r.status?.startTime ?? new Date().toISOString();
  if (r.status?.phase !== "Running") await setStatus(deps, r, { phase: "Running", node: deps.node, startTime, percent: 0, message: "" });

  if (!(await exists(marker))) {
    await fs.rm(staging, { recursive: true, force: true });
    await fs.mkdir(staging, { recursive: true, mode: 0o777 });
    await fs.chmod(staging, 0o777);
    const { restic } = await deps.repos.forNamespace(r.metadata.namespace);
    const snap = pick(await restic.snapshots({ namespace: r.metadata.namespace, claim: r.spec.claimName }), r.spec.snapshot ?? "latest");
    if (!snap) {
      throw new Error(`no snapshot ${r.spec.snapshot === "latest" || !r.spec.snapshot ? "" : `${r.spec.snapshot} `}of claim ${r.spec.claimName} in namespace ${r.metadata.namespace}`);
    }
    const size = await restic.restoreSize(snap.id);
    await setStatus(deps, r, {
      snapshotId: snap.id,
      snapshotShortId: snap.id.slice(0, 8),
      snapshotTime: snap.time,
      totalBytes: size.bytes,
      totalFiles: size.files,
    });
    // Progress is measured from what has arrived; one walk at a time, so a tree of many small files
    // never has two walks competing with the restore for the disk.
    let walking = false;
    const progress = setInterval(() => {
      if (walking) return;
      walking = true;
      void treeStats(staging)
        .then((t) => setStatus(deps, r, { bytesRestored: t.bytes, filesRestored: t.entries, percent: percent(t.bytes, size.bytes) }))
        .catch(() => {})
        .finally(() => (walking = false));
    }, 2000);
    try {
      await restic.restore(snap.id, staging, signal);
    } finally {
      clearInterval(progress);
    }
    const got = await treeStats(staging);
    if (got.entries !== size.files || got.bytes !== size.bytes) {
      throw new Error(
        `restored data does not match snapshot ${snap.id.slice(0, 8)}: ${got.entries} entries / ${got.bytes} bytes, expected ${size.files} / ${size.bytes}`,
      );
    }
    // The marker records what was verified, so a restart after it needs no second walk.
    await fs.writeFile(marker, JSON.stringify(got));
  }

  // Verified: swap the staging folder in for the volume's directory.
  const target = volumeDir(deps.root, vol.metadata.name);
  const trash = path.join(deps.root, "trash", uid);
  if (await exists(staging)) {
    await fs.mkdir(path.dirname(trash), { recursive: true, mode: 0o700 });
    if (await exists(target)) await fs.rename(target, trash);
    await fs.rename(staging, target);
    await fs.chmod(target, 0o777);
  }
  const final = JSON.parse(await fs.readFile(marker, "utf8")) as { entries: number; bytes: number };
  await fs.rm(marker, { force: true });
  await fs.rm(trash, { recursive: true, force: true });

  const seconds = (Date.now() - new Date(startTime).getTime()) / 1000;
  await setStatus(deps, r, {
    phase: "Completed",
    percent: 100,
    bytesRestored: final.bytes,
    filesRestored: final.entries,
    completionTime: new Date().toISOString(),
    durationSeconds: seconds,
    message: "",
  });
  metrics.total.inc({ result: "completed" });
  metrics.duration.observe(seconds);
  if (seconds > 0) metrics.throughput.set({ node: deps.node }, final.bytes / seconds);
  await deps.events.record(ref(r), {
    type: "Normal",
    reason: "Restored",
    message: `restored snapshot ${r.status?.snapshotShortId ?? ""} of ${r.spec.claimName} into ${vol.metadata.name} on ${deps.node} (${final.entries} entries, ${final.bytes} bytes, ${seconds.toFixed(1)} s)`,
  });
  log.info({ volume: vol.metadata.name, seconds, bytes: final.bytes }, "restore completed");
  return { requeueAfterMs: deps.ttlMs };
}

/** The newest snapshot for "latest", else the one whose id starts with `wanted`. */
function pick(snapshots: Snapshot[], wanted: string): Snapshot | undefined {
  return wanted === "latest" ? snapshots.at(-1) : snapshots.find((s) => s.id.startsWith(wanted));
}

async function fail(deps: RestoreReconcilerDeps, r: XlssRestore, message: string): Promise<Result> {
  const staging = path.join(deps.root, "staging", r.metadata.uid ?? r.metadata.name);
  await fs.rm(staging, { recursive: true, force: true });
  await fs.rm(`${staging}.verified`, { force: true });
  await setStatus(deps, r, { phase: "Failed", node: deps.node, completionTime: new Date().toISOString(), message });
  metrics.total.inc({ result: "failed" });
  await deps.events.record(ref(r), { type: "Warning", reason: "RestoreFailed", message });
  deps.log.warn({ restore: `${r.metadata.namespace}/${r.metadata.name}`, message }, "restore failed");
  return { requeueAfterMs: deps.ttlMs };
}

/** Finished restores stay for the TTL as history, then go. */
async function expire(deps: RestoreReconcilerDeps, r: XlssRestore): Promise<Result | void> {
  if (r.status?.node && r.status.node !== deps.node) return;
  const done = new Date(r.status?.completionTime ?? r.metadata.creationTimestamp ?? Date.now()).getTime();
  const left = done + deps.ttlMs - Date.now();
  if (left > 0) return { requeueAfterMs: left };
  await deleteRestore(deps.clients, r.metadata.namespace, r.metadata.name);
}

const ref = (r: XlssRestore) => ({ apiVersion: STORAGE_API_VERSION, kind: "XlssRestore", metadata: r.metadata });
const percent = (done: number, total: number) => (total > 0 ? Math.min(99, Math.floor((done / total) * 100)) : 0);
const setStatus = (deps: RestoreReconcilerDeps, r: XlssRestore, status: XlssRestoreStatus) =>
  patchRestoreStatus(deps.clients, r.metadata.namespace, r.metadata.name, status);

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}
