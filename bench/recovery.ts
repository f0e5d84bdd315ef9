// Benchmark: automatic recovery of a pod whose node died, for volumes of several sizes, on a local
// cluster of its own. For each size: a one-replica StatefulSet (xlss-scheduler) whose volume holds
// that much data, backed up; its machine is killed; the XlssFailover record gives every stage's
// duration. Printed beside it: the restore's throughput and `cp -a` of the same data on the same
// disk, measured in the same run, and their ratio.
//
//   npm run bench:recovery -- [--sizes-mib 10,1024,5120] [--file-mib 64]
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { createBackup, listBackups, listFailovers, listRestores } from "../lib/xlss/api/client";
import { STORAGE_API_VERSION, type XlssFailover } from "../lib/xlss/api/types";
import { startCluster, stopCluster } from "../local-cluster/cluster";
import { killMachine, reviveMachine } from "../local-cluster/components";
import { statefulSetWithStorage } from "../test/workloads";

const { values } = parseArgs({ options: { "sizes-mib": { type: "string", default: "10,1024,5120" }, "file-mib": { type: "string", default: "64" } } });
const sizes = values["sizes-mib"].split(",").map(Number);
const fileBytes = Number(values["file-mib"]) * 1024 * 1024;
const MiB = 1024 * 1024;

function writeData(dir: string, bytes: number): void {
  for (let i = 0, left = bytes; left > 0; i++, left -= fileBytes) {
    const size = Math.min(fileBytes, left);
    const fd = fs.openSync(path.join(dir, `segment-${i}.log`), "w");
    // Random data in 8 MiB pieces: incompressible, like a broker's compressed batches.
    for (let done = 0; done < size; done += 8 * MiB) fs.writeSync(fd, randomBytes(Math.min(8 * MiB, size - done)));
    fs.closeSync(fd);
  }
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 3_600_000): Promise<T> {
  return waitFor(check, { what, timeoutMs, intervalMs: 250 });
}

async function recoverOnce(kube: KubeClients, state: Awaited<ReturnType<typeof startCluster>>, sizeMiB: number) {
  const ns = `recovery-${sizeMiB}`;
  await kube.core.createNamespace({ body: { metadata: { name: ns } } });
  await until("service account", () => kube.core.readNamespacedServiceAccount({ name: "default", namespace: ns }));
  const sts = statefulSetWithStorage({ name: "broker", replicas: 1, schedulerName: "xlss-scheduler", size: `${Math.ceil((sizeMiB * 1.2) / 1024) + 1}Gi` });
  await kube.apps.createNamespacedStatefulSet({ namespace: ns, body: sts });
  const pod = await until("broker-0 running", async () => {
    const p = await kube.core.readNamespacedPod({ name: "broker-0", namespace: ns }).catch(() => undefined);
    return p?.status?.phase === "Running" ? p : undefined;
  });
  const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-broker-0", namespace: ns });
  const pv = await kube.core.readPersistentVolume({ name: pvc.spec?.volumeName ?? "" });
  const dir = pv.spec?.local?.path ?? "";
  console.error(`== ${sizeMiB} MiB: writing into ${dir}`);
  writeData(dir, sizeMiB * MiB);
  execFileSync("sync");

  // cp -a of the same data on the same disk (the pool's disk), as the baseline for the restore.
  const copy = path.join(path.dirname(dir), `bench-cp-${sizeMiB}`);
  const t = Date.now();
  execFileSync("cp", ["-a", dir, copy]);
  execFileSync("sync");
  const cpSeconds = (Date.now() - t) / 1000;
  fs.rmSync(copy, { recursive: true });

  await createBackup(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name: "before", namespace: ns }, spec: { claimName: "data-broker-0", trigger: "Manual" } });
  const backup = await until("backup", async () => (await listBackups(kube, {}, ns)).items.find((b) => b.status?.phase === "Completed" || b.status?.phase === "Failed"));
  if (backup.status?.phase !== "Completed") throw new Error(`backup failed: ${backup.status?.message}`);

  const node = pod.spec?.nodeName ?? "";
  console.error(`   backed up in ${backup.status.durationSeconds?.toFixed(1)} s; killing ${node}`);
  await killMachine(state, node);
  let record: XlssFailover;
  try {
    record = await until("failover completed", async () => (await listFailovers(kube, {}, ns)).items.find((f) => f.status?.phase === "Completed"));
  } finally {
    await reviveMachine(state, node);
  }
  const restore = (await listRestores(kube, {}, ns)).items.find((r) => r.status?.phase === "Completed");
  await kube.core.deleteNamespace({ name: ns });
  return { sizeMiB, record, restoreSeconds: restore?.status?.durationSeconds ?? NaN, cpSeconds };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-recovery-"));
const state = await startCluster({ name: "bench-recovery", dir: path.join(work, "cluster"), progress: (l) => console.error(`   ${l}`) });
const results: Awaited<ReturnType<typeof recoverOnce>>[] = [];
try {
  const kube = kubeClients(loadKubeConfig(state.kubeconfig));
  for (const size of sizes) results.push(await recoverOnce(kube, state, size));
} finally {
  await stopCluster(state.dir);
  fs.rmSync(work, { recursive: true, force: true });
}

const stage = (f: XlssFailover, name: string) => f.status?.stages?.find((s) => s.name === name)?.seconds ?? NaN;
const num = (v: number, w = 7) => (Number.isFinite(v) ? v.toFixed(1) : "-").padStart(w);
console.log("\nseconds per stage (Detect includes the guardian's 20 s window of the local cluster; node failure is seen after ~12 s)");
console.log("recovery time = node declared dead (end of Detect) → pod Ready with its data; restore ÷cp = restore time / cp -a time (1.00 = as fast)\n");
console.log("   size | Detect | Cleanup | Reschedule | Restore |  Ready | recovery | restore s (MiB/s) | cp -a s (MiB/s) | restore ÷cp");
for (const r of results) {
  const f = r.record;
  const recovery = (f.status?.totalSeconds ?? NaN) - stage(f, "Detect");
  const mibps = (s: number) => (r.sizeMiB / s).toFixed(0);
  console.log(
    `${String(r.sizeMiB).padStart(5)}Mi | ${num(stage(f, "Detect"), 6)} | ${num(stage(f, "Cleanup"))} | ${num(stage(f, "Reschedule"), 10)} | ` +
      `${num(stage(f, "Restore"))} | ${num(stage(f, "Ready"), 6)} | ${num(recovery, 8)} | ${num(r.restoreSeconds, 8)} (${mibps(r.restoreSeconds).padStart(6)}) | ` +
      `${num(r.cpSeconds, 6)} (${mibps(r.cpSeconds).padStart(6)}) | ${(r.restoreSeconds / r.cpSeconds).toFixed(2).padStart(11)}`,
  );
}
