// Benchmark of the middleware operators (operators/main.ts):
//  1. time to Ready of one KafkaCluster (3 dedicated controllers, 3 brokers), three times;
//  2. time to Ready of N KafkaClusters created at once (one combined node each), with the
//     operators' CPU and peak memory meanwhile;
// both on a 4-node local cluster with the storage platform (pods placed by the xlss-scheduler on
// volumes the provisioner and node agents create), each side by side with a baseline measured in
// the same run on the same cluster: the same pods and volumes without the operator — the
// StatefulSets the operator would make (its own builder, operators/kafka/objects.ts: same pod
// counts, xlss-local claims, schedulerName xlss-scheduler, resources), applied by this script
// without the operator's managed-by label or owner reference (so the running operators never see
// them), timed to all pods Ready. The ratio is what the operator adds (its watch, reconcile passes,
// the ConfigMap, Services and budgets it applies, the status it writes) over the platform's own
// scheduling and provisioning. Then
//  3. the operators' memory with M KafkaClusters, on a bare cluster (no scheduler for their pods,
//     which stay Pending: what is measured is the operators' caches and work, not the platform's),
//     against the same process's idle RSS with none (see the memory table below).
//
//   npm run bench:operators -- [--count 200] [--memory-count 1000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import type { V1StatefulSet } from "@kubernetes/client-node";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { findCondition } from "../lib/k8s/conditions";
import { isPodReady } from "../lib/k8s/pods";
import { waitFor } from "../lib/k8s/wait";
import { startCluster, stopCluster, type ClusterState } from "../local-cluster/cluster";
import { OPERATORS_NAME, startOperators } from "../local-cluster/components";
import { installPlatform } from "../local-cluster/install";
import { createKafka, SMALL, TINY } from "../operators/kafka/kafka-test-helpers";
import { desiredObjects } from "../operators/kafka/objects";
import { kafkaCluster, type KafkaSpecInput } from "../operators/kafka/test-fixtures";
import { KAFKA_PLURAL, type KafkaCluster } from "../operators/kafka/types";
import { LABELS, MANAGED_SELECTOR, PAAS_GROUP, PAAS_VERSION } from "../operators/shared/labels";
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

/**
 * The baseline's objects: the StatefulSets the operator would apply for a KafkaCluster `name` with
 * `spec` (defaulted by the CRD's schema, as the API server stores it), built by the operator's own
 * builder, minus what ties them to the operator: the owner reference (there is no KafkaCluster to
 * own them) and the managed-by label (the operators' informers select on it, so they never see
 * these). Pod count, claims, scheduler, resources, probes and affinity stay as the operator makes them.
 */
function bareStatefulSets(namespace: string, name: string, spec: KafkaSpecInput): V1StatefulSet[] {
  const kc = kafkaCluster(spec, name, namespace);
  kc.metadata.uid = randomUUID();
  const versions = { controller: kc.spec.version, broker: kc.spec.version };
  const { statefulSets } = desiredObjects(kc, { brokerReplicas: kc.spec.replicas, versions, image: "apache/kafka" });
  const unmanaged = (labels: Record<string, string> | undefined) => Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k !== LABELS.managedBy));
  for (const sts of statefulSets) {
    delete sts.metadata!.ownerReferences;
    sts.metadata!.labels = unmanaged(sts.metadata!.labels);
    sts.spec!.template.metadata!.labels = unmanaged(sts.spec!.template.metadata!.labels);
    for (const claim of sts.spec!.volumeClaimTemplates ?? []) claim.metadata!.labels = unmanaged(claim.metadata!.labels);
  }
  return statefulSets;
}

/** The pods `sets` should make (sum of their replicas). */
const podCount = (sets: V1StatefulSet[]) => sets.reduce((n, s) => n + (s.spec?.replicas ?? 0), 0);

/** Deletes a baseline namespace and waits until it, its pods and claims, and their volumes are gone, so the next run starts on a cluster as it was. */
async function dropNamespace(kube: KubeClients, name: string): Promise<void> {
  await kube.core.deleteNamespace({ name });
  await waitFor(
    async () => {
      const namespaces = await kube.core.listNamespace();
      if (namespaces.items.some((n) => n.metadata?.name === name)) return false;
      const volumes = await kube.core.listPersistentVolume();
      return !volumes.items.some((v) => v.spec?.claimRef?.namespace === name);
    },
    { what: `namespace ${name} and its volumes deleted`, timeoutMs: 900_000, intervalMs: 1000 },
  );
}

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
interface TimeRow {
  scenario: string;
  operator: number;
  bare: number;
}
const timeRows: TimeRow[] = [];
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-ops-"));
  const state = await startCluster({ name: "bench-ops", dir, nodes: 4, progress: (l) => console.error(`   ${l}`) });
  try {
    const kube = kubeClients(loadKubeConfig(state.kubeconfig));
    const pid = operatorsPid(state);
    await newNamespace(kube, "one");
    await newNamespace(kube, "bare-one");
    // Operator and baseline alternate, so the machine's changing load falls on both alike.
    const single: number[] = [];
    const bareSingle: number[] = [];
    for (const name of ["first", "second", "third"]) {
      const t0 = Date.now();
      await createKafka(kube, "one", name, SMALL);
      await waitFor(async () => isReady((await listKafkas(kube)).find((k) => k.metadata.name === name)!), { what: `${name} Ready`, timeoutMs: 300_000, intervalMs: 100 });
      single.push((Date.now() - t0) / 1000);

      const sets = bareStatefulSets("bare-one", name, SMALL);
      const b0 = Date.now();
      for (const body of sets) await kube.apps.createNamespacedStatefulSet({ namespace: "bare-one", body });
      await waitFor(
        async () => {
          const pods = await kube.core.listNamespacedPod({ namespace: "bare-one", labelSelector: `${LABELS.instance}=${name}` });
          return pods.items.length === podCount(sets) && pods.items.every(isPodReady);
        },
        { what: `bare StatefulSets of ${name}: pods Ready`, timeoutMs: 300_000, intervalMs: 100 },
      );
      bareSingle.push((Date.now() - b0) / 1000);
    }
    report(`1 KafkaCluster (3 controllers + 3 brokers, 6 local volumes): Ready in ${single.map((s) => s.toFixed(1)).join(" / ")} s`);
    report(`baseline, the same 2 StatefulSets (6 pods, 6 local volumes) without the operator: all pods Ready in ${bareSingle.map((s) => s.toFixed(1)).join(" / ")} s`);
    single.forEach((s, i) => timeRows.push({ scenario: `1 KafkaCluster (3+3 pods, 6 volumes), run ${i + 1}`, operator: s, bare: bareSingle[i]! }));

    // Baseline first, then deleted with its volumes (a node takes 110 pods: the two runs of N
    // together would not fit on 4 nodes), then the operator on a cluster as it was before.
    await newNamespace(kube, "bare-many");
    const cpuBare0 = cpuSeconds(pid);
    const bareSets = Array.from({ length: count }, (_, i) => bareStatefulSets("bare-many", `k${String(i).padStart(4, "0")}`, TINY)).flat();
    const b0 = Date.now();
    for (let i = 0; i < bareSets.length; i += 20) {
      await Promise.all(bareSets.slice(i, i + 20).map((body) => kube.apps.createNamespacedStatefulSet({ namespace: "bare-many", body })));
    }
    const bareCreated = (Date.now() - b0) / 1000;
    const barePods = await waitFor(
      async () => {
        const pods = (await kube.core.listNamespacedPod({ namespace: "bare-many" })).items;
        return pods.length === podCount(bareSets) && pods.every(isPodReady) ? pods : undefined;
      },
      { what: `${count} bare StatefulSets' pods Ready`, timeoutMs: 1_800_000, intervalMs: 1000 },
    );
    const bareTotal = (Date.now() - b0) / 1000;
    // Per StatefulSet, as per KafkaCluster below: its creation → its pod's Ready condition (both in whole seconds).
    const setCreated = new Map((await kube.apps.listNamespacedStatefulSet({ namespace: "bare-many" })).items.map((s) => [s.metadata!.name!, Date.parse(String(s.metadata!.creationTimestamp))]));
    const bareEach = barePods
      .map((p) => {
        const readyAt = Date.parse(String(p.status?.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime));
        return (readyAt - setCreated.get(p.metadata!.name!.replace(/-\d+$/, ""))!) / 1000;
      })
      .sort((a, b) => a - b);
    const bareCpu = cpuSeconds(pid) - cpuBare0;
    report(
      `baseline, ${count} bare StatefulSets (1 pod and 1 local volume each, as the KafkaClusters below) created in ${bareCreated.toFixed(1)} s: all pods Ready after ${bareTotal.toFixed(1)} s; ` +
        `per StatefulSet creation → pod Ready p50 ${percentile(bareEach, 50).toFixed(1)} s, p95 ${percentile(bareEach, 95).toFixed(1)} s; operators used ${bareCpu.toFixed(1)} CPU-s meanwhile`,
    );
    await dropNamespace(kube, "bare-many");

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
    timeRows.push(
      { scenario: `${count} KafkaClusters (1 pod, 1 volume each): all Ready`, operator: total, bare: bareTotal },
      { scenario: `  per cluster creation → Ready, p50`, operator: percentile(each, 50), bare: percentile(bareEach, 50) },
      { scenario: `  per cluster creation → Ready, p95`, operator: percentile(each, 95), bare: percentile(bareEach, 95) },
    );
  } finally {
    await stopCluster(dir);
  }
}

// 3: memory with many resources, on a bare cluster. The baseline is the same process before any
// resource exists (idle, after 5 s): Node.js, tsx's loader, the clients and empty informers. The
// ratio settled / idle is the growth M resources cause, and (settled − idle) / M the bytes each
// resource costs, cached with its owned objects and pod — the figure that says how far the
// operators scale. (A process without the operators would only measure Node.js itself.)
let memoryRow: { idle: number; peak: number; settled: number; heap: number } | undefined;
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
    const peak = stopRss();
    const heap = await heapUsed(proc.metricsPort!);
    report(
      `${memoryCount} KafkaClusters (${owned} owned objects, ${memoryCount} Pending pods): reconciled in ${reconciled.toFixed(0)} s using ${cpu.toFixed(1)} CPU-s; ` +
        `operators RSS idle ${(idle / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB, settled ${(settled / MiB).toFixed(0)} MiB (JS heap used ${(heap / MiB).toFixed(0)} MiB)`,
    );
    memoryRow = { idle, peak, settled, heap };
  } finally {
    await stopCluster(dir);
  }
}

console.log("\nxlss-operators benchmark\n");
for (const l of lines) console.log(`- ${l}`);

const cell = (v: number, width: number, digits = 1) => v.toFixed(digits).padStart(width);
console.log("\nTime to Ready (seconds): with the operator vs the same StatefulSets applied without it, same cluster, same run\n");
const width = Math.max(8, ...timeRows.map((r) => r.scenario.length));
console.log(`${"scenario".padEnd(width)} | operator s | bare StatefulSets s | ratio`);
console.log(`${"-".repeat(width)}-|------------|---------------------|------`);
for (const r of timeRows) console.log(`${r.scenario.padEnd(width)} | ${cell(r.operator, 10)} | ${cell(r.bare, 19)} | ${cell(r.operator / r.bare, 5, 2)}`);

if (memoryRow) {
  const { idle, peak, settled } = memoryRow;
  console.log(`\nOperators' RSS (MiB): idle with no resources vs with ${memoryCount} KafkaClusters, same process\n`);
  console.log(`idle, 0 resources | peak, ${memoryCount} | settled, ${memoryCount} | ratio settled / idle | per KafkaCluster (settled − idle)`);
  console.log(`------------------|${"-".repeat(8 + String(memoryCount).length)}|${"-".repeat(11 + String(memoryCount).length)}|----------------------|-----------------------------------`);
  console.log(
    `${cell(idle / MiB, 17, 0)} | ${cell(peak / MiB, 6 + String(memoryCount).length, 0)} | ${cell(settled / MiB, 9 + String(memoryCount).length, 0)} | ${cell(settled / idle, 20, 2)} | ${`${((settled - idle) / memoryCount / 1024).toFixed(0)} KiB`.padStart(33)}`,
  );
}

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
