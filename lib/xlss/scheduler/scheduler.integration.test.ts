import path from "node:path";
import { describe, expect } from "vitest";
import { waitFor } from "../../k8s/wait";
import { kubeTest } from "../../../test/kube";
import { eventsAbout, eventsOnceRecorded, statefulSetWithStorage, waitForRunningPods, waitGone } from "../../../test/workloads";
import { pinnedTo } from "../rescuer/volume-controller";
import { SELECTED_NODE } from "../provisioner/claim-controller";
import { SCHEDULER_NAME, startScheduler, stopPlatformComponent } from "../../../local-cluster/components";

const here = path.dirname(new URL(import.meta.url).pathname);

const cpuPod = (name: string, cpu: string, extra: { nodeName?: string; scheduler?: string } = {}) => ({
  metadata: { name, labels: { app: name } },
  spec: {
    schedulerName: extra.scheduler,
    nodeSelector: extra.nodeName ? { "kubernetes.io/hostname": extra.nodeName } : undefined,
    terminationGracePeriodSeconds: 1,
    containers: [{ name: "c", image: "registry.local/app:1", resources: { requests: { cpu } } }],
  },
});

describe("xlss-scheduler", () => {
  kubeTest("schedules a StatefulSet's pods and provisions their xlss-local claims on the chosen nodes", async ({ kube, namespace }) => {
    await kube.apps.createNamespacedStatefulSet({ namespace, body: statefulSetWithStorage({ name: "kafka", replicas: 3, schedulerName: "xlss-scheduler" }) });
    const pods = await waitForRunningPods(kube, namespace, "app=kafka", 3);
    for (const pod of pods) {
      const name = pod.metadata?.name ?? "";
      // Recorded after the binding, so possibly after the pod runs.
      const [scheduled] = await eventsOnceRecorded(kube, namespace, name, "Scheduled");
      expect(scheduled?.source?.component).toBe("xlss-scheduler");
      expect(scheduled?.message).toBe(`Successfully assigned ${namespace}/${name} to ${pod.spec?.nodeName}`);
      const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: `data-${name}`, namespace });
      expect(pinnedTo(await kube.core.readPersistentVolume({ name: pvc.spec?.volumeName ?? "" }))).toBe(pod.spec?.nodeName);
    }
  });

  kubeTest("an unschedulable pod gets kube-scheduler's wording, and is scheduled once a node frees up", async ({ kube, namespace, cluster }) => {
    // Fill every node to 8 of its 15.8 cores (default scheduler), then ask for 10.
    for (const node of cluster.nodes) await kube.core.createNamespacedPod({ namespace, body: cpuPod(`block-${node}`, "8", { nodeName: node }) });
    await waitFor(async () => (await kube.core.listNamespacedPod({ namespace })).items.filter((p) => p.status?.phase === "Running").length === cluster.nodes.length, {
      what: "blockers running",
    });
    await kube.core.createNamespacedPod({ namespace, body: cpuPod("big", "10", { scheduler: "xlss-scheduler" }) });
    const [failed] = await waitFor(async () => {
      const e = await eventsAbout(kube, namespace, "big", "FailedScheduling");
      return e.length ? e : undefined;
    }, { what: "FailedScheduling for big" });
    expect(failed?.message).toBe(`0/${cluster.nodes.length} nodes are available: ${cluster.nodes.length} Insufficient cpu.`);

    const freed = cluster.nodes[2]!;
    await kube.core.deleteNamespacedPod({ name: `block-${freed}`, namespace });
    await waitGone(() => kube.core.readNamespacedPod({ name: `block-${freed}`, namespace }), "the blocker");
    const [big] = await waitForRunningPods(kube, namespace, "app=big", 1);
    expect(big?.spec?.nodeName).toBe(freed);
  });

  kubeTest("a pod whose claim does not exist waits with a clear reason", async ({ kube, namespace }) => {
    await kube.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name: "orphan" },
        spec: {
          schedulerName: "xlss-scheduler",
          containers: [{ name: "c", image: "registry.local/app:1" }],
          volumes: [{ name: "data", persistentVolumeClaim: { claimName: "missing" } }],
        },
      },
    });
    const [failed] = await waitFor(async () => {
      const e = await eventsAbout(kube, namespace, "orphan", "FailedScheduling");
      return e.length ? e : undefined;
    }, { what: "FailedScheduling for orphan" });
    expect(failed?.message).toMatch(/^0\/\d+ nodes are available: persistentvolumeclaim "missing" not found\.$/);
  });

  kubeTest("anti-affinity puts replicas on distinct nodes; one too many waits with the reason", async ({ kube, namespace, cluster }) => {
    const sts = statefulSetWithStorage({ name: "spread", replicas: cluster.nodes.length + 1, schedulerName: "xlss-scheduler" });
    sts.spec!.template.spec!.affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "spread" } }, topologyKey: "kubernetes.io/hostname" }] },
    };
    sts.spec!.template.spec!.topologySpreadConstraints = [
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "spread" } } },
    ];
    await kube.apps.createNamespacedStatefulSet({ namespace, body: sts });
    const running = await waitFor(
      async () => {
        const pods = (await kube.core.listNamespacedPod({ namespace, labelSelector: "app=spread" })).items.filter((p) => p.status?.phase === "Running");
        return pods.length === cluster.nodes.length ? pods : undefined;
      },
      { what: "one replica per node running" },
    );
    expect(new Set(running.map((p) => p.spec?.nodeName)).size).toBe(cluster.nodes.length);
    const pending = await waitFor(
      async () => (await kube.core.listNamespacedPod({ namespace, labelSelector: "app=spread" })).items.find((p) => !p.spec?.nodeName),
      { what: "the extra replica created" },
    );
    // (A first attempt may find its claim not yet in the cache; later ones give the real reason.)
    const expected = `0/${cluster.nodes.length} nodes are available: ${cluster.nodes.length} node(s) didn't match pod anti-affinity rules.`;
    await waitFor(async () => (await eventsAbout(kube, namespace, pending.metadata?.name ?? "", "FailedScheduling")).some((e) => e.message === expected), {
      what: `FailedScheduling "${expected}" for the extra replica`,
    });
  });

  kubeTest("restarted mid-binding (its volume still provisioning): the pod ends bound exactly once, where its volume is", async ({ kube, namespace, cluster }) => {
    // Freeze every node agent so the volume request stays pending while the scheduler waits in PreBind.
    const agents = cluster.processes.filter((p) => p.name.startsWith("xlss-rescuer/"));
    for (const a of agents) process.kill(a.pid, "SIGSTOP");
    try {
      await kube.core.createNamespacedPersistentVolumeClaim({
        namespace,
        body: { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "1Gi" } } } },
      });
      await kube.core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name: "mid", labels: { app: "mid" } },
          spec: { schedulerName: "xlss-scheduler", containers: [{ name: "c", image: "registry.local/app:1" }], volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }] },
        },
      });
      await waitFor(async () => (await kube.core.readNamespacedPersistentVolumeClaim({ name: "data", namespace })).metadata?.annotations?.[SELECTED_NODE], {
        what: "a node selected for the claim",
      });
      await stopPlatformComponent(cluster, SCHEDULER_NAME, "SIGKILL");
    } finally {
      for (const a of agents) process.kill(a.pid, "SIGCONT");
    }
    await startScheduler(cluster);
    const [pod] = await waitForRunningPods(kube, namespace, "app=mid", 1, 90_000);
    const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: "data", namespace });
    expect(pinnedTo(await kube.core.readPersistentVolume({ name: pvc.spec?.volumeName ?? "" }))).toBe(pod?.spec?.nodeName);
    expect(await eventsOnceRecorded(kube, namespace, "mid", "Scheduled")).toHaveLength(1);
    expect((await kube.core.listPersistentVolume({ labelSelector: `storage.xlss.io/claim-namespace=${namespace}` })).items).toHaveLength(1);
  });

  kubeTest("runs the profile of a --config file: the example's score plugins, and pods scheduled", async ({ kube, namespace, cluster }) => {
    await stopPlatformComponent(cluster, SCHEDULER_NAME);
    try {
      const proc = await startScheduler(cluster, [`--config=${path.join(here, "config.example.yaml")}`]);
      await kube.core.createNamespacedPod({ namespace, body: cpuPod("configured", "100m", { scheduler: "xlss-scheduler" }) });
      const [pod] = await waitForRunningPods(kube, namespace, "app=configured", 1);
      const [scheduled] = await eventsOnceRecorded(kube, namespace, "configured", "Scheduled");
      expect(scheduled?.message).toBe(`Successfully assigned ${namespace}/configured to ${pod?.spec?.nodeName}`);
      // The example disables TaintToleration's Score; the other scorers ran for this pod.
      const metrics = await (await fetch(`http://127.0.0.1:${proc.metricsPort}/metrics`)).text();
      expect(metrics).toContain('plugin="PodTopologySpread",extension_point="Score"');
      expect(metrics).toContain('plugin="DefaultBinder",extension_point="Bind"');
      expect(metrics).not.toContain('plugin="TaintToleration",extension_point="Score"');
    } finally {
      await stopPlatformComponent(cluster, SCHEDULER_NAME);
      await startScheduler(cluster);
    }
  });
});
