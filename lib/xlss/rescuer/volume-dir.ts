import fs from "node:fs/promises";
import path from "node:path";

/** Volume names are Kubernetes object names the provisioner derives from claim uids (`pvc-<uid>`). */
const SAFE_NAME = /^[a-z0-9]([a-z0-9-]{0,251}[a-z0-9])?$/;

/** Whether `name` can be a volume's name (and so its directory's). */
export const isVolumeName = (name: string) => SAFE_NAME.test(name);

/**
 * The directory of volume `name` under the pool root: `<root>/volumes/<name>`. Refuses any name
 * that is not a plain DNS label, so no name (whatever a user managed to put in an object) can reach
 * outside the pool; the resolved path is checked to stay under the root as a second guard.
 */
export function volumeDir(root: string, name: string): string {
  if (!isVolumeName(name)) throw new Error(`unsafe volume name ${JSON.stringify(name)}`);
  const base = path.resolve(root, "volumes");
  const dir = path.resolve(base, name);
  if (path.dirname(dir) !== base) throw new Error(`volume path ${dir} escapes ${base}`);
  return dir;
}

/**
 * Creates the volume directory; an existing directory is fine (a restart after a crash mid-way).
 * The pool's own folders are root-only (0700) so host users cannot reach volume data; the volume
 * directory itself is 0777 because it is bind-mounted into pods running as any uid (pods that set
 * fsGroup get group ownership from the kubelet, as for any local volume).
 */
export async function createVolumeDir(root: string, name: string): Promise<string> {
  const dir = volumeDir(root, name);
  await fs.mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  try {
    await fs.mkdir(dir, { mode: 0o777 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const st = await fs.lstat(dir);
    if (!st.isDirectory()) throw new Error(`${dir} exists and is not a directory`);
  }
  await fs.chmod(dir, 0o777);
  return dir;
}

/** Removes the volume directory and everything in it; a missing directory counts as removed. */
export async function removeVolumeDir(root: string, name: string): Promise<void> {
  await fs.rm(volumeDir(root, name), { recursive: true, force: true });
}

export async function volumeDirExists(root: string, name: string): Promise<boolean> {
  try {
    return (await fs.lstat(volumeDir(root, name))).isDirectory();
  } catch {
    return false;
  }
}

/** Calls `visit` with the lstat of every entry under `dir` (not `dir` itself); vanished entries are skipped. */
async function walk(dir: string, visit: (st: import("node:fs").Stats) => void): Promise<void> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    let st: import("node:fs").Stats;
    try {
      st = await fs.lstat(p);
    } catch {
      continue; // Removed while we were walking.
    }
    visit(st);
    if (st.isDirectory()) await walk(p, visit);
  }
}

/**
 * Bytes the files under `dir` occupy on disk (allocated blocks, like `du`), not following symlinks,
 * counting hard-linked files once.
 */
export async function measureUsage(dir: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  await walk(dir, (st) => {
    if (st.nlink > 1 && !st.isDirectory()) {
      const id = `${st.dev}:${st.ino}`;
      if (seen.has(id)) return;
      seen.add(id);
    }
    total += st.blocks * 512;
  });
  return total;
}

/** Entries under `dir` (files, folders, links; not `dir` itself) and the summed size of its regular files. */
export async function treeStats(dir: string): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  await walk(dir, (st) => {
    entries++;
    if (st.isFile()) bytes += st.size;
  });
  return { entries, bytes };
}
