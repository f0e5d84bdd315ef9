// Benchmark: N claims created at once, each with a pod (WaitForFirstConsumer), on local clusters of
// several sizes. Measures claim creation → Bound (p50/p99/max) and the provisioner's CPU and memory,
// side by side with a baseline: the same claims bound to pre-created static local PVs by Kubernetes
// alone (the `kubernetes.io/no-provisioner` path, no XLSS involved). Prints both and their ratio.
//
//   npm run bench:provisioning -- [--nodes 4,50] [--claims 100]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { V1PersistentVolume } from "@kubernetes/client-node";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { startCluster, stopCluster } from "../local-cluster/cluster";
import { PROVISIONER_NAME } from "../local-cluster/components";
import { cpuSeconds, percentile, sampleRss } from "./proc-stats";

const { values } = parseArgs({ options: { nodes: { type: "string", default: "4,50" }, claims: { type: "string", default: "100" } } });
const nodeCounts = values.nodes.split(",").map(Number);
const claims = Number(values.claims);

interface Run {
  scenario: string;
  nodes: number;
  p50: number;
  p99: number;
  max: number;
  cpu?: number;
  rssMiB?: number;
}

/** Creates `claims` claims and pods at once (bounded in-flight requests) and times each claim to Bound. */
async function createAndTime(kube: KubeClients, namespace: string, storageClass: string): Promise<number[]> {
  const created = new Map<string, number>();
  const bound = new Map<string, number>();
  const poll = setInterval(() => {
    void kube.core.listNamespacedPersistentVolumeClaim({ namespace }).then((list) => {
      const now = Date.now();
      for (const c of list.items) if (c.status?.phase === "Bound" && !bound.has(c.metadata?.name ?? "")) bound.set(c.metadata?.name ?? "", now);
    });
  }, 100);
  const names = Array.from({ length: claims }, (_, i) => `c${i}`);
  const inflight = 16;
  for (let i = 0; i < names.length; i += inflight) {
    await Promise.all(
      names.slice(i, i + inflight).map(async (name) => {
        created.set(name, Date.now());
        await kube.core.createNamespacedPersistentVolumeClaim({
          namespace,
          body: { metadata: { name }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: storageClass, resources: { requests: { storage: "1Gi" } } } },
        });
        await kube.core.createNamespacedPod({
          namespace,
          body: {
            metadata: { name },
            spec: { containers: [{ name: "app", image: "registry.local/app:1" }], volumes: [{ name: "data", persistentVolumeClaim: { claimName: name } }] },
          },
        });
      }),
    );
  }
  await waitFor(async () => bound.size === claims, { what: `${claims} claims Bound`, timeoutMs: 600_000, intervalMs: 200 });
  clearInterval(poll);
  return names.map((n) => (bound.get(n)! - created.get(n)!) / 1000).sort((a, b) => a - b);
}

async function freshNamespace(kube: KubeClients, name: string): Promise<void> {
  await kube.core.createNamespace({ body: { metadata: { name } } });
  await waitFor(() => kube.core.readNamespacedServiceAccount({ name: "default", namespace: name }), { what: "default service account" });
}

/** The baseline: static local PVs, `perNode` on every node, bound by the PV controller alone. */
async function staticPVs(kube: KubeClients, nodes: string[], dir: string): Promise<void> {
  await kube.storage.createStorageClass({
    body: { metadata: { name: "bench-static" }, provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "WaitForFirstConsumer" },
  });
  const perNode = Math.ceil(claims / nodes.length) + 1;
  const pvs: V1PersistentVolume[] = nodes.flatMap((node) =>
    Array.from({ length: perNode }, (_, i) => ({
      metadata: { name: `static-${node}-${i}` },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce"],
        storageClassName: "bench-static",
        local: { path: path.join(dir, node, String(i)) },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [node] }] }] } },
      },
    })),
  );
  for (const pv of pvs) await kube.core.createPersistentVolume({ body: pv });
}

const runs: Run[] = [];
for (const n of nodeCounts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-"));
  console.error(`\n== ${n} nodes: starting a local cluster`);
  const state = await startCluster({ name: `bench-${n}`, dir, nodes: n, progress: (l) => console.error(`   ${l}`) });
  try {
    const kube = kubeClients(loadKubeConfig(state.kubeconfig));

    await staticPVs(kube, state.nodes, dir);
    await freshNamespace(kube, "baseline");
    const base = await createAndTime(kube, "baseline", "bench-static");
    runs.push({ scenario: "static local PVs (baseline)", nodes: n, p50: percentile(base, 50), p99: percentile(base, 99), max: base.at(-1)! });

    const provisioner = state.processes.find((p) => p.name === PROVISIONER_NAME)!;
    await freshNamespace(kube, "xlss");
    const cpu0 = cpuSeconds(provisioner.pid);
    const stopRss = sampleRss(provisioner.pid);
    const xlss = await createAndTime(kube, "xlss", "xlss-local");
    runs.push({
      scenario: "xlss-local (dynamic)",
      nodes: n,
      p50: percentile(xlss, 50),
      p99: percentile(xlss, 99),
      max: xlss.at(-1)!,
      cpu: cpuSeconds(provisioner.pid) - cpu0,
      rssMiB: stopRss() / 1024 ** 2,
    });
  } finally {
    await stopCluster(dir);
  }
}

console.log(`\n${claims} claims created at once, each with a pod; time from claim creation to Bound (seconds)\n`);
console.log("nodes | scenario                     |   p50 |   p99 |   max | provisioner CPU s | provisioner peak RSS MiB");
console.log("------|------------------------------|-------|-------|-------|-------------------|-------------------------");
for (const r of runs) {
  console.log(
    `${String(r.nodes).padStart(5)} | ${r.scenario.padEnd(28)} | ${r.p50.toFixed(2).padStart(5)} | ${r.p99.toFixed(2).padStart(5)} | ${r.max.toFixed(2).padStart(5)} | ${(r.cpu?.toFixed(2) ?? "-").padStart(17)} | ${(r.rssMiB?.toFixed(0) ?? "-").padStart(23)}`,
  );
}
console.log("\nratio xlss-local / baseline");
for (const n of nodeCounts) {
  const [b, x] = [runs.find((r) => r.nodes === n && !r.cpu)!, runs.find((r) => r.nodes === n && r.cpu !== undefined)!];
  console.log(`${String(n).padStart(5)} nodes: p50 ×${(x.p50 / b.p50).toFixed(2)}, p99 ×${(x.p99 / b.p99).toFixed(2)}`);
}
