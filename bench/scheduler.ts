// Benchmark: scheduling throughput of xlss-scheduler side by side with kube-scheduler on the same
// cluster in one run — N pods without volumes on M simulated nodes, pods/s of each and the ratio —
// then K pods with one xlss-local claim each on a 4-node cluster with the storage platform: time
// until all are Running (scheduling, provisioning by the node agents, binding).
//
//   npm run bench:scheduler -- [--nodes 100,1000] [--pods 1000] [--claims 100]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { startCluster, stopCluster } from "../local-cluster/cluster";
import { SCHEDULER_NAME, startScheduler } from "../local-cluster/components";
import { installPlatform } from "../local-cluster/install";
import { cpuSeconds, sampleRss } from "./proc-stats";

const { values } = parseArgs({
  options: { nodes: { type: "string", default: "100,1000" }, pods: { type: "string", default: "1000" }, claims: { type: "string", default: "100" } },
});
const nodeCounts = values.nodes.split(",").map(Number);
const podCount = Number(values.pods);

/** Creates `podCount` pods for `scheduler` (32 requests in flight) and times until every one is bound. */
async function run(kube: KubeClients, namespace: string, scheduler: string): Promise<number> {
  await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor(() => kube.core.readNamespacedServiceAccount({ name: "default", namespace }), { what: "default service account" });
  const t0 = Date.now();
  for (let i = 0; i < podCount; i += 32) {
    await Promise.all(
      Array.from({ length: Math.min(32, podCount - i) }, (_, k) =>
        kube.core.createNamespacedPod({
          namespace,
          body: {
            metadata: { name: `p${i + k}` },
            spec: { schedulerName: scheduler, containers: [{ name: "c", image: "registry.local/app:1", resources: { requests: { cpu: "10m", memory: "16Mi" } } }] },
          },
        }),
      ),
    );
  }
  await waitFor(
    async () => {
      const pods = await kube.core.listNamespacedPod({ namespace, fieldSelector: "spec.nodeName=" });
      return pods.items.length === 0;
    },
    { what: `${podCount} pods bound by ${scheduler}`, timeoutMs: 1_800_000, intervalMs: 250 },
  );
  return (Date.now() - t0) / 1000;
}

const rows: string[] = [];
for (const n of nodeCounts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-sched-"));
  console.error(`\n== ${n} nodes`);
  const state = await startCluster({ name: `bench-sched-${n}`, dir, nodes: n, platform: false, progress: (l) => console.error(`   ${l}`) });
  try {
    const kube = kubeClients(loadKubeConfig(state.kubeconfig));
    await installPlatform(kube);
    const proc = await startScheduler(state);
    const kubeSeconds = await run(kube, "kube", "default-scheduler");
    const cpu0 = cpuSeconds(proc.pid);
    const stopRss = sampleRss(proc.pid);
    const xlssSeconds = await run(kube, "xlss", SCHEDULER_NAME);
    const cpu = cpuSeconds(proc.pid) - cpu0;
    const rss = stopRss() / 1024 ** 2;
    rows.push(
      `${String(n).padStart(5)} | ${(podCount / kubeSeconds).toFixed(1).padStart(17)} | ${(podCount / xlssSeconds).toFixed(1).padStart(16)} | ${(kubeSeconds / xlssSeconds).toFixed(2).padStart(5)} | ${cpu.toFixed(1).padStart(11)} | ${rss.toFixed(0).padStart(12)}`,
    );
  } finally {
    await stopCluster(dir);
  }
}
console.log(`\n${podCount} pods without volumes created at once (32 requests in flight); creation → all bound\n`);
console.log("nodes | kube-scheduler pods/s | xlss-scheduler pods/s | ratio | xlss CPU s | xlss RSS MiB");
for (const r of rows) console.log(r);

// Stateful pods: each with its own xlss-local claim, placed by the xlss-scheduler.
const claimCount = Number(values.claims);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-sched-claims-"));
console.error(`\n== ${claimCount} pods with xlss-local claims on 4 nodes`);
const state = await startCluster({ name: "bench-sched-claims", dir, progress: (l) => console.error(`   ${l}`) });
let stateful = 0;
try {
  const kube = kubeClients(loadKubeConfig(state.kubeconfig));
  await kube.core.createNamespace({ body: { metadata: { name: "stateful" } } });
  await waitFor(() => kube.core.readNamespacedServiceAccount({ name: "default", namespace: "stateful" }), { what: "default service account" });
  const t0 = Date.now();
  for (let i = 0; i < claimCount; i += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, claimCount - i) }, async (_, k) => {
        const name = `s${i + k}`;
        await kube.core.createNamespacedPersistentVolumeClaim({
          namespace: "stateful",
          body: { metadata: { name }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "1Gi" } } } },
        });
        await kube.core.createNamespacedPod({
          namespace: "stateful",
          body: {
            metadata: { name },
            spec: { schedulerName: SCHEDULER_NAME, containers: [{ name: "c", image: "registry.local/app:1" }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: name } }] },
          },
        });
      }),
    );
  }
  await waitFor(
    async () => (await kube.core.listNamespacedPod({ namespace: "stateful", fieldSelector: "status.phase=Running" })).items.length === claimCount,
    { what: `${claimCount} stateful pods Running`, timeoutMs: 1_800_000, intervalMs: 250 },
  );
  stateful = (Date.now() - t0) / 1000;
} finally {
  await stopCluster(dir);
}
console.log(`\n${claimCount} pods with an xlss-local claim each (xlss-scheduler, 4 nodes): all Running after ${stateful.toFixed(1)} s (${(claimCount / stateful).toFixed(1)} pods/s)`);
