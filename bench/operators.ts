// Benchmark of the middleware operators (operators/main.ts):
//  1. time to Ready of one KafkaCluster (3 dedicated controllers, 3 brokers), three times;
//  2. time to Ready of N KafkaClusters created at once (one combined node each), with the
//     operators' CPU and peak memory meanwhile;
// both on a 4-node local cluster with the storage platform (pods placed by the xlss-scheduler on
// volumes the provisioner and node agents create); then
//  3. the operators' memory with M KafkaClusters, on a bare cluster (no scheduler for their pods,
//     which stay Pending: what is measured is the operators' caches and work, not the platform's).
//
//   npm run bench:operators -- [--count 200] [--memory-count 1000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { findCondition } from "../lib/k8s/conditions";
import { waitFor } from "../lib/k8s/wait";
import { startCluster, stopCluster, type ClusterState } from "../local-cluster/cluster";
import { OPERATORS_NAME, startOperators } from "../local-cluster/components";
import { installPlatform } from "../local-cluster/install";
import { createKafka, SMALL, TINY } from "../operators/kafka/kafka-test-helpers";
import { KAFKA_PLURAL, type KafkaCluster } from "../operators/kafka/types";
import { MANAGED_SELECTOR, PAAS_GROUP, PAAS_VERSION } from "../operators/shared/labels";
import { cpuSeconds, percentile, rssBytes, sampleRss } from "./proc-stats";

const { values } = parseArgs({ options: { count: { type: "string", default: "200" }, "memory-count": { type: "string", default: "1000" } } });
const count = Number(values.count);
const memoryCount = Number(values["memory-count"]);
const MiB = 1024 ** 2;

async function newNamespace(kube: KubeClients, name: string): Promise<void> {
  await kube.core.createNamespace({ body: { metadata: { name } } });
  await waitFor(() => kube.core.readNamespacedServiceAccount({ name: "default", namespace: name }), { what: `service account in ${name}` });
}

/** Creates KafkaClusters (20 requests in flight) spread over `namespaces`, returning when all are created. */
async function createMany(kube: KubeClients, namespaces: string[], perNamespace: number): Promise<void> {
  const all = namespaces.flatMap((ns) => Array.from({ length: perNamespace }, (_, i) => [ns, `k${String(i).padStart(4, "0")}`] as const));
  for (let i = 0; i < all.length; i += 20) await Promise.all(all.slice(i, i + 20).map(([ns, name]) => createKafka(kube, ns, name, TINY)));
}

async function listKafkas(kube: KubeClients): Promise<KafkaCluster[]> {
  return ((await kube.custom.listClusterCustomObject({ group: PAAS_GROUP, version: PAAS_VERSION, plural: KAFKA_PLURAL })) as { items: KafkaCluster[] }).items;
}

const isReady = (k: KafkaCluster) =>
  k.status?.observedGeneration === k.metadata.generation && k.status?.phase === "Running" && findCondition(k.status?.conditions, "Ready")?.status === "True";

/** Seconds from a KafkaCluster's creation to its Ready condition turning True. */
const secondsToReady = (k: KafkaCluster) =>
  (Date.parse(findCondition(k.status?.conditions, "Ready")?.lastTransitionTime ?? "") - Date.parse(String(k.metadata.creationTimestamp))) / 1000;

function operatorsPid(state: ClusterState): number {
  const proc = state.processes.find((p) => p.name === OPERATORS_NAME);
  if (!proc) throw new Error("the cluster runs no operators process");
  return proc.pid;
}

const lines: string[] = [];
const report = (line: string) => {
  lines.push(line);
  console.error(`   => ${line}`);
};

// 1 and 2: on a cluster with the storage platform.
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-ops-"));
  const state = await startCluster({ name: "bench-ops", dir, nodes: 4, progress: (l) => console.error(`   ${l}`) });
  try {
    const kube = kubeClients(loadKubeConfig(state.kubeconfig));
    const pid = operatorsPid(state);
    await newNamespace(kube, "one");
    const single: number[] = [];
    for (const name of ["first", "second", "third"]) {
      const t0 = Date.now();
      await createKafka(kube, "one", name, SMALL);
      await waitFor(async () => isReady((await listKafkas(kube)).find((k) => k.metadata.name === name)!), { what: `${name} Ready`, timeoutMs: 300_000, intervalMs: 100 });
      single.push((Date.now() - t0) / 1000);
    }
    report(`1 KafkaCluster (3 controllers + 3 brokers, 6 local volumes): Ready in ${single.map((s) => s.toFixed(1)).join(" / ")} s`);

    await newNamespace(kube, "many");
    const cpu0 = cpuSeconds(pid);
    const stopRss = sampleRss(pid);
    const t0 = Date.now();
    await createMany(kube, ["many"], count);
    const created = (Date.now() - t0) / 1000;
    const ready = await waitFor(
      async () => {
        const list = (await listKafkas(kube)).filter((k) => k.metadata.namespace === "many");
        return list.length === count && list.every(isReady) ? list : undefined;
      },
      { what: `${count} KafkaClusters Ready`, timeoutMs: 1_800_000, intervalMs: 1000 },
    );
    const total = (Date.now() - t0) / 1000;
    const each = ready.map(secondsToReady).sort((a, b) => a - b);
    report(
      `${count} KafkaClusters (1 combined node and 1 local volume each) created in ${created.toFixed(1)} s: all Ready after ${total.toFixed(1)} s; ` +
        `per cluster creation → Ready p50 ${percentile(each, 50).toFixed(1)} s, p95 ${percentile(each, 95).toFixed(1)} s; ` +
        `operators used ${(cpuSeconds(pid) - cpu0).toFixed(1)} CPU-s, peak RSS ${(stopRss() / MiB).toFixed(0)} MiB`,
    );
  } finally {
    await stopCluster(dir);
  }
}

// 3: memory with many resources, on a bare cluster.
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-ops-mem-"));
  const state = await startCluster({ name: "bench-ops-mem", dir, nodes: 4, platform: false, progress: (l) => console.error(`   ${l}`) });
  try {
    const kube = kubeClients(loadKubeConfig(state.kubeconfig));
    await installPlatform(kube);
    const proc = await startOperators(state);
    await new Promise((r) => setTimeout(r, 5000));
    const idle = rssBytes(proc.pid);
    const namespaces = Array.from({ length: 10 }, (_, i) => `mem-${i}`);
    for (const ns of namespaces) await newNamespace(kube, ns);
    const stopRss = sampleRss(proc.pid);
    const cpu0 = cpuSeconds(proc.pid);
    const t0 = Date.now();
    await createMany(kube, namespaces, memoryCount / namespaces.length);
    await waitFor(
      async () => {
        const list = await listKafkas(kube);
        return list.length === memoryCount && list.every((k) => k.status?.observedGeneration === k.metadata.generation);
      },
      { what: `${memoryCount} KafkaClusters reconciled`, timeoutMs: 1_800_000, intervalMs: 2000 },
    );
    const reconciled = (Date.now() - t0) / 1000;
    const cpu = cpuSeconds(proc.pid) - cpu0;
    const owned = await countOwned(kube);
    // Settled: what the process holds with the resources cached and nothing left to do.
    await new Promise((r) => setTimeout(r, 15_000));
    const settled = rssBytes(proc.pid);
    const heap = await heapUsed(proc.metricsPort!);
    report(
      `${memoryCount} KafkaClusters (${owned} owned objects, ${memoryCount} Pending pods): reconciled in ${reconciled.toFixed(0)} s using ${cpu.toFixed(1)} CPU-s; ` +
        `operators RSS idle ${(idle / MiB).toFixed(0)} MiB, peak ${(stopRss() / MiB).toFixed(0)} MiB, settled ${(settled / MiB).toFixed(0)} MiB (JS heap used ${(heap / MiB).toFixed(0)} MiB)`,
    );
  } finally {
    await stopCluster(dir);
  }
}

console.log("\nxlss-operators benchmark\n");
for (const l of lines) console.log(`- ${l}`);

/** Objects the operators own: ConfigMaps, Services, StatefulSets and PodDisruptionBudgets labelled as theirs. */
async function countOwned(kube: KubeClients): Promise<number> {
  const labelSelector = MANAGED_SELECTOR;
  const lists = await Promise.all([
    kube.core.listConfigMapForAllNamespaces({ labelSelector }),
    kube.core.listServiceForAllNamespaces({ labelSelector }),
    kube.apps.listStatefulSetForAllNamespaces({ labelSelector }),
    kube.policy.listPodDisruptionBudgetForAllNamespaces({ labelSelector }),
  ]);
  return lists.reduce((n, l) => n + l.items.length, 0);
}

/** The process's JS heap in use, from its own metrics. */
async function heapUsed(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = /^xlss_process_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
  return m ? Number(m[1]) : NaN;
}
