// Benchmark: backup and restore of 1 GiB as many small files and as a few large files, by the node
// agent (XlssBackup / XlssRestore on a local cluster), by restic run by hand on the same data, and
// by `cp -a` on the same disk — all in one run, with the ratios. Then an incremental backup after 1%
// of the data changed.
//
//   npm run bench:backup -- [--size-mib 1024] [--small-kib 32] [--large-mib 128]
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { createBackup, createRestore, getRestore, listBackups } from "../lib/xlss/api/client";
import { BACKUP_SECRET, STORAGE_API_VERSION, SYSTEM_NAMESPACE } from "../lib/xlss/api/types";
import { SELECTED_NODE } from "../lib/xlss/provisioner/claim-controller";
import { startCluster, stopCluster } from "../local-cluster/cluster";

const { values } = parseArgs({
  options: { "size-mib": { type: "string", default: "1024" }, "small-kib": { type: "string", default: "32" }, "large-mib": { type: "string", default: "128" } },
});
const total = Number(values["size-mib"]) * 1024 * 1024;
const datasets = [
  { name: "small files", fileSize: Number(values["small-kib"]) * 1024 },
  { name: "large files", fileSize: Number(values["large-mib"]) * 1024 * 1024 },
];

const seconds = (since: number) => (Date.now() - since) / 1000;
const time = (fn: () => void) => {
  const t = Date.now();
  fn();
  return seconds(t);
};

function makeDataset(dir: string, fileSize: number): number {
  fs.mkdirSync(dir, { recursive: true });
  const count = Math.max(1, Math.round(total / fileSize));
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `f${i}`), randomBytes(fileSize));
  }
  return count;
}

/** Rewrites 1% of the files (each with new random content): what a day of appends looks like. */
function changeOnePercent(dir: string): void {
  const files: string[] = [];
  for (const sub of fs.readdirSync(dir)) for (const f of fs.readdirSync(path.join(dir, sub))) files.push(path.join(dir, sub, f));
  const n = Math.max(1, Math.round(files.length / 100));
  for (let i = 0; i < n; i++) {
    const f = files[Math.floor((i * files.length) / n)]!;
    fs.writeFileSync(f, randomBytes(fs.statSync(f).size));
  }
}

async function agentBackup(kube: KubeClients, namespace: string, claim: string, name: string): Promise<number> {
  const t = Date.now();
  await createBackup(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name, namespace }, spec: { claimName: claim } });
  const b = await waitFor(
    async () => (await listBackups(kube, {}, namespace)).items.find((x) => x.metadata.name === name && ["Completed", "Failed"].includes(x.status?.phase ?? "")),
    { what: `backup ${name}`, timeoutMs: 1_800_000, intervalMs: 200 },
  );
  if (b.status?.phase !== "Completed") throw new Error(`backup ${name} failed: ${b.status?.message}`);
  return seconds(t);
}

async function agentRestore(kube: KubeClients, namespace: string, claim: string, target: string, name: string): Promise<number> {
  const t = Date.now();
  await createRestore(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssRestore", metadata: { name, namespace }, spec: { claimName: claim, targetVolume: target } });
  const r = await waitFor(
    async () => {
      const x = await getRestore(kube, namespace, name);
      return ["Completed", "Failed"].includes(x?.status?.phase ?? "") ? x : undefined;
    },
    { what: `restore ${name}`, timeoutMs: 1_800_000, intervalMs: 200 },
  );
  if (r?.status?.phase !== "Completed") throw new Error(`restore ${name} failed: ${r?.status?.message}`);
  return seconds(t);
}

async function volumeOn(kube: KubeClients, namespace: string, claim: string, node: string): Promise<{ name: string; dir: string }> {
  await kube.core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: claim, annotations: { [SELECTED_NODE]: node } },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "8Gi" } } },
    },
  });
  const pv = await waitFor(
    async () => {
      const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace });
      return pvc.status?.phase === "Bound" ? kube.core.readPersistentVolume({ name: pvc.spec?.volumeName ?? "" }) : undefined;
    },
    { what: `${claim} bound` },
  );
  return { name: pv.metadata?.name ?? "", dir: pv.spec?.local?.path ?? "" };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-backup-"));
const state = await startCluster({ name: "bench-backup", dir: path.join(work, "cluster"), progress: (l) => console.error(`   ${l}`) });
const rows: string[] = [];
try {
  const kube = kubeClients(loadKubeConfig(state.kubeconfig));
  const secret = await kube.core.readNamespacedSecret({ name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE });
  const pwFile = path.join(work, "pw");
  fs.writeFileSync(pwFile, Buffer.from(secret.data?.password ?? "", "base64"), { mode: 0o600 });
  const restic = (repo: string, args: string[], cwd?: string) =>
    execFileSync("restic", ["-r", repo, "--password-file", pwFile, "--quiet", ...args], { cwd, stdio: ["ignore", "ignore", "inherit"] });

  for (const [i, ds] of datasets.entries()) {
    const ns = `bench-${i}`;
    await kube.core.createNamespace({ body: { metadata: { name: ns } } });
    const src = path.join(work, `src-${i}`);
    console.error(`\n== ${ds.name}: writing ${values["size-mib"]} MiB`);
    const files = makeDataset(src, ds.fileSize);
    execFileSync("sync");

    const cpTime = time(() => execFileSync("cp", ["-a", src, path.join(work, `cp-${i}`)]));
    fs.rmSync(path.join(work, `cp-${i}`), { recursive: true });

    const repo = path.join(work, `repo-${i}`);
    restic(repo, ["init"]);
    const handBackup = time(() => restic(repo, ["backup", "--host", "bench", "."], src));
    const handRestore = time(() => restic(repo, ["restore", "latest", "--target", path.join(work, `hand-${i}`)]));
    fs.rmSync(path.join(work, `hand-${i}`), { recursive: true });

    const volume = await volumeOn(kube, ns, "data", state.nodes[0]!);
    execFileSync("cp", ["-a", `${src}/.`, volume.dir]);
    execFileSync("sync");
    const agentFull = await agentBackup(kube, ns, "data", "full");
    const target = await volumeOn(kube, ns, "copy", state.nodes[1]!);
    const agentRestoreTime = await agentRestore(kube, ns, "data", target.name, "restore");

    changeOnePercent(src);
    changeOnePercent(volume.dir);
    execFileSync("sync");
    const handIncr = time(() => restic(repo, ["backup", "--host", "bench", "."], src));
    const agentIncr = await agentBackup(kube, ns, "data", "incremental");
    fs.rmSync(repo, { recursive: true });
    fs.rmSync(src, { recursive: true });

    const mibps = (s: number) => (total / 1024 / 1024 / s).toFixed(0).padStart(5);
    rows.push(
      `${ds.name.padEnd(12)} | ${String(files).padStart(6)} | ${cpTime.toFixed(1).padStart(6)} (${mibps(cpTime)}) | ` +
        `${handBackup.toFixed(1).padStart(6)} (${mibps(handBackup)}) | ${agentFull.toFixed(1).padStart(6)} (${mibps(agentFull)}) | ` +
        `${(agentFull / handBackup).toFixed(2).padStart(5)} | ${(agentFull / cpTime).toFixed(2).padStart(6)} | ` +
        `${handRestore.toFixed(1).padStart(6)} (${mibps(handRestore)}) | ${agentRestoreTime.toFixed(1).padStart(6)} (${mibps(agentRestoreTime)}) | ` +
        `${(agentRestoreTime / handRestore).toFixed(2).padStart(5)} | ${(agentRestoreTime / cpTime).toFixed(2).padStart(6)} | ` +
        `${handIncr.toFixed(1).padStart(5)} | ${agentIncr.toFixed(1).padStart(5)}`,
    );
  }
} finally {
  await stopCluster(state.dir);
  fs.rmSync(work, { recursive: true, force: true });
}

console.log(`\n${values["size-mib"]} MiB per data set; seconds (MiB/s); ratios are agent time / other time (1.00 = as fast)\n`);
console.log(
  "data set     |  files | cp -a          | restic backup  | agent backup   | ÷restic | ÷cp   | restic restore | agent restore  | ÷restic | ÷cp   | 1% incr restic | agent",
);
for (const r of rows) console.log(r);
