import fs from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { Gauge } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import type { EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { sleep } from "../../k8s/sleep";
import { registry } from "../../metrics";
import { getPool, getVolume } from "../api/client";
import { STORAGE_API_VERSION, type XlssVolume } from "../api/types";
import { formatBytes } from "../capacity";
import { isVolumeName, measureUsage, volumeDir } from "./volume-dir";

// A directory under <root>/volumes that no XlssVolume names is data nothing points at: the
// provisioner forgot it when the node was deleted from the cluster (the machine came back under the
// same name), or someone put it there. It still takes room the pool does not count, so the agent sets
// it aside under <root>/stray/<set-aside-ms>-<name> (a rename, so it is instant and the data
// untouched) and removes it once it has been there the quarantine TTL — the same grace as the old copy
// of a moved volume — leaving the administrator a week to look.

const strayDirs = new Gauge({
  name: "xlss_stray_directories",
  help: "Directories set aside under <root>/stray because no XlssVolume names them; removed after the quarantine TTL.",
  labelNames: ["node"] as const,
  registers: [registry],
});

/** `<root>/stray`: where directories no volume names wait to be removed. */
export const strayRoot = (root: string) => path.join(root, "stray");

/** `<set-aside-ms>-<volume name>`, and back. */
export const strayEntryName = (setAsideMs: number, name: string) => `${setAsideMs}-${name}`;
export function parseStrayEntry(entry: string): { setAsideMs: number; name: string } | undefined {
  const m = /^(\d{13})-(.+)$/.exec(entry);
  return m && isVolumeName(m[2]!) ? { setAsideMs: Number(m[1]), name: m[2]! } : undefined;
}

/** "7 d", "36 h", "30 s": a TTL as people say it, rounded to its largest unit. */
export function roughDuration(ms: number): string {
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["min", 60_000]] as const) if (ms >= size) return `${Math.round(ms / size)} ${unit}`;
  return `${Math.round(ms / 1000)} s`;
}

/** The directories under <root>/volumes whose names are not in `known`. */
export async function unknownVolumeDirs(root: string, known: (name: string) => boolean): Promise<string[]> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(path.join(root, "volumes"), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isDirectory() && isVolumeName(e.name) && !known(e.name)).map((e) => e.name);
}

export interface StraySweepDeps {
  clients: KubeClients;
  node: string;
  root: string;
  volumes: Informer<XlssVolume>;
  events: EventRecorder;
  ttlMs: number;
  log: Logger;
}

/**
 * One pass: sets aside the volume directories no XlssVolume names, and removes those set aside for
 * longer than the TTL. A directory is only set aside when the API server itself (not the cache) says
 * its volume does not exist, so a cache behind the server never costs a volume its data.
 */
export async function sweepStrayDirs(deps: StraySweepDeps, now = Date.now()): Promise<void> {
  const { root, node, log } = deps;
  const candidates = await unknownVolumeDirs(root, (name) => deps.volumes.get(name) !== undefined);
  // "Not found" means the volume is gone only while the API serves XLSS objects at all: with its
  // resources missing (CRDs being reinstalled) every volume would read as gone. This node's pool,
  // which its agent keeps, shows they are served.
  const pool = candidates.length ? await getPool(deps.clients, node) : undefined;
  if (candidates.length && !pool) {
    log.warn({ candidates: candidates.length }, "stray directory sweep skipped: this node's XlssStoragePool is not served");
    return;
  }
  for (const name of candidates) {
    if (await getVolume(deps.clients, name)) continue;
    const from = volumeDir(root, name);
    const bytes = await measureUsage(from);
    await fs.mkdir(strayRoot(root), { recursive: true, mode: 0o700 });
    const to = path.join(strayRoot(root), strayEntryName(now, name));
    await fs.rename(from, to);
    const message = `directory ${from} (${formatBytes(bytes)}) belongs to no XlssVolume: set aside as ${to}, removed in ${roughDuration(deps.ttlMs)}`;
    log.warn({ directory: from, strayAs: to, bytes }, "stray volume directory set aside");
    await deps.events.record({ apiVersion: STORAGE_API_VERSION, kind: "XlssStoragePool", metadata: pool!.metadata }, { type: "Warning", reason: "StrayDirectory", message });
  }

  let entries: string[] = [];
  try {
    entries = await fs.readdir(strayRoot(root));
  } catch {
    // No directory was ever set aside.
  }
  let kept = 0;
  for (const entry of entries) {
    const parsed = parseStrayEntry(entry);
    if (!parsed) continue; // Not ours: left for whoever put it there.
    if (now - parsed.setAsideMs < deps.ttlMs) {
      kept++;
      continue;
    }
    await fs.rm(path.join(strayRoot(root), entry), { recursive: true, force: true });
    log.info({ directory: entry }, "stray volume directory removed after the quarantine TTL");
  }
  strayDirs.set({ node }, kept);
}

/** Sweeps every `intervalMs` until `signal` aborts; a failed pass is logged and tried at the next. */
export async function runStraySweeps(deps: StraySweepDeps, intervalMs: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      await sweepStrayDirs(deps);
    } catch (err) {
      deps.log.error({ err: err instanceof Error ? err.message : String(err) }, "stray directory sweep failed");
    }
    await sleep(intervalMs, signal);
  }
}
