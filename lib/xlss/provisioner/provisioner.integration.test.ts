import fs from "node:fs";
import path from "node:path";
import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { mergePatch, type KubeClients } from "../../k8s/client";
import { apiMessage } from "../../k8s/errors";
import { waitFor } from "../../k8s/wait";
import { nodeDisk, PROVISIONER_NAME, rescuerName, startProvisioner, stopPlatformComponent } from "../../../local-cluster/components";
import { kubeTest } from "../../../test/kube";
import { boundVolume, eventsAbout, statefulSetWithStorage, waitForRunningPods, waitGone } from "../../../test/workloads";
import { createVolume, getPool, getVolume, listVolumes } from "../api/client";
import { agentLeaseName, PLURALS, STORAGE_API_VERSION, STORAGE_GROUP, STORAGE_VERSION, SYSTEM_NAMESPACE, VOLUME_FINALIZER } from "../api/types";
import { pinnedTo } from "../rescuer/volume-controller";
import { SELECTED_NODE } from "./claim-controller";

const claimEvents = async (kube: KubeClients, namespace: string, claim: string) =>
  (await eventsAbout(kube, namespace, claim)).map((e) => `${e.reason}: ${e.message}`);

const volumesOfClaim = async (kube: KubeClients, namespace: string, claim: string) =>
  (await listVolumes(kube, { labelSelector: `storage.xlss.io/claim-namespace=${namespace},storage.xlss.io/claim-name=${claim}` })).items;

function claim(name: string, spec: Partial<NonNullable<V1PersistentVolumeClaim["spec"]>> = {}, annotations?: Record<string, string>): V1PersistentVolumeClaim {
  return {
    metadata: { name, annotations },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "1Gi" } }, ...spec },
  };
}

function podUsing(name: string, claimName: string, nodeAffinity?: string[]) {
  return {
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 1,
      affinity: nodeAffinity
        ? { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: nodeAffinity }] } }] } }
        : undefined,
      containers: [{ name: "app", image: "registry.local/app:1" }],
      volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
    },
  };
}

describe("xlss-local provisioning", () => {
  kubeTest("a StatefulSet gets local PVs on its pods' nodes, and data survives a pod restart", async ({ kube, namespace, cluster }) => {
    await kube.apps.createNamespacedStatefulSet({ namespace, body: statefulSetWithStorage({ name: "kafka", replicas: 3 }) });
    const pods = await waitForRunningPods(kube, namespace, "app=kafka", 3);

    for (const pod of pods) {
      const pv = await boundVolume(kube, namespace, `data-${pod.metadata?.name}`);
      expect(pinnedTo(pv)).toBe(pod.spec?.nodeName);
      expect(pv.spec?.claimRef?.uid).toBeTruthy();
      const dir = pv.spec?.local?.path ?? "";
      expect(dir.startsWith(path.join(nodeDisk(cluster, pod.spec?.nodeName ?? ""), "volumes") + path.sep)).toBe(true);
      expect(fs.statSync(dir).isDirectory()).toBe(true);
    }

    const first = pods[0]!;
    const pv = await boundVolume(kube, namespace, "data-kafka-0");
    fs.writeFileSync(path.join(pv.spec?.local?.path ?? "", "segment.log"), "offset 42\n");
    await kube.core.deleteNamespacedPod({ name: "kafka-0", namespace });
    const restarted = await waitFor(
      async () => {
        const p = await kube.core.readNamespacedPod({ name: "kafka-0", namespace });
        return p.metadata?.uid !== first.metadata?.uid && p.status?.phase === "Running" ? p : undefined;
      },
      { what: "kafka-0 recreated and Running" },
    );
    expect(restarted.spec?.nodeName).toBe(first.spec?.nodeName);
    const again = await boundVolume(kube, namespace, "data-kafka-0");
    expect(again.metadata?.uid).toBe(pv.metadata?.uid);
    expect(fs.readFileSync(path.join(again.spec?.local?.path ?? "", "segment.log"), "utf8")).toBe("offset 42\n");
    expect(await volumesOfClaim(kube, namespace, "data-kafka-0")).toHaveLength(1);
  });

  kubeTest("scale down and delete the claim: Delete removes the directory, Retain keeps it", async ({ kube, namespace }) => {
    for (const [name, storageClass] of [["del", "xlss-local"], ["keep", "xlss-local-retain"]] as const) {
      await kube.apps.createNamespacedStatefulSet({ namespace, body: statefulSetWithStorage({ name, replicas: 1, storageClass }) });
    }
    await waitForRunningPods(kube, namespace, "app in (del,keep)", 2);
    const pvDel = await boundVolume(kube, namespace, "data-del-0");
    const pvKeep = await boundVolume(kube, namespace, "data-keep-0");
    for (const pv of [pvDel, pvKeep]) fs.writeFileSync(path.join(pv.spec?.local?.path ?? "", "data"), "x");

    for (const name of ["del", "keep"]) {
      await kube.apps.patchNamespacedStatefulSet({ name, namespace, body: { spec: { replicas: 0 } } }, mergePatch);
    }
    await waitFor(async () => (await kube.core.listNamespacedPod({ namespace })).items.length === 0, { what: "pods gone" });
    for (const name of ["del", "keep"]) await kube.core.deleteNamespacedPersistentVolumeClaim({ name: `data-${name}-0`, namespace });

    await waitGone(() => kube.core.readPersistentVolume({ name: pvDel.metadata?.name ?? "" }), "the Delete PV");
    await waitFor(async () => !fs.existsSync(pvDel.spec?.local?.path ?? ""), { what: "the Delete volume's directory removed" });
    await waitFor(async () => (await volumesOfClaim(kube, namespace, "data-del-0")).length === 0, { what: "the Delete XlssVolume gone" });

    const released = await waitFor(
      async () => {
        const pv = await kube.core.readPersistentVolume({ name: pvKeep.metadata?.name ?? "" });
        return pv.status?.phase === "Released" ? pv : undefined;
      },
      { what: "the Retain PV Released" },
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(fs.readFileSync(path.join(released.spec?.local?.path ?? "", "data"), "utf8")).toBe("x");
    expect(await volumesOfClaim(kube, namespace, "data-keep-0")).toHaveLength(1);
    // An administrator deletes the retained volume while its PV still exists: the agent keeps the data.
    const volName = pvKeep.metadata?.name ?? "";
    await kube.custom.deleteClusterCustomObject({ group: STORAGE_GROUP, version: STORAGE_VERSION, plural: PLURALS.volume, name: volName });
    await waitFor(
      async () => (await getVolume(kube, volName))?.status?.message?.includes(`PersistentVolume ${volName} still points at`),
      { what: "the agent refusing to delete data a PV points at" },
    );
    expect(fs.readFileSync(path.join(released.spec?.local?.path ?? "", "data"), "utf8")).toBe("x");
    await kube.core.deletePersistentVolume({ name: volName });
    await waitFor(async () => !fs.existsSync(released.spec?.local?.path ?? ""), { what: "retained data removed once its PV is gone" });
    await waitFor(async () => (await getVolume(kube, volName)) === undefined, { what: "the retained XlssVolume gone" });
  });

  kubeTest("a full pool: a clear Event, selected-node removed, and the claim lands on another node", async ({ kube, namespace }) => {
    const full = "xlss-node-1";
    const poolApi = { group: STORAGE_GROUP, version: STORAGE_VERSION, plural: PLURALS.pool, name: full };
    await kube.custom.patchClusterCustomObject({ ...poolApi, body: { spec: { capacity: "100Mi" } } }, mergePatch);
    try {
      // Wait until the pool reports the new capacity, so the agents' capacity objects follow.
      await waitFor(
        async () => ((await kube.custom.getClusterCustomObject(poolApi)) as { status?: { capacityBytes?: number } }).status?.capacityBytes === 100 * 1024 ** 2,
        { what: "pool capacity 100Mi reported" },
      );
      // What a scheduler with stale capacity data would do: pick the full node.
      await kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim("big", {}, { [SELECTED_NODE]: full }) });
      await waitFor(
        async () => {
          const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: "big", namespace });
          return pvc.metadata?.annotations?.[SELECTED_NODE] === undefined;
        },
        { what: "selected-node removed from the claim" },
      );
      const events = await claimEvents(kube, namespace, "big");
      // At most the 100 MiB set above: volumes of tests running alongside on this node take their share.
      expect(events.join("\n")).toMatch(/ProvisioningFailed: node xlss-node-1 has (\d+ B|\d+(\.\d+)? (KiB|MiB)) free for volumes, the claim asks for 1 GiB; rescheduling/);
      expect(await volumesOfClaim(kube, namespace, "big")).toHaveLength(0);

      // A pod that would rather run on the full node: the scheduler sees the capacity and goes elsewhere.
      await kube.core.createNamespacedPod({ namespace, body: podUsing("consumer", "big", [full]) });
      const pv = await boundVolume(kube, namespace, "big");
      expect(pinnedTo(pv)).not.toBe(full);
      await waitForRunningPods(kube, namespace, "", 1);
    } finally {
      await kube.custom.patchClusterCustomObject({ ...poolApi, body: { spec: { capacity: null } } }, mergePatch);
    }
  });

  kubeTest("the provisioner killed mid-provisioning and restarted: exactly one volume and one PV", async ({ kube, namespace, cluster }) => {
    const node = "xlss-node-3";
    const agent = cluster.processes.find((p) => p.name === rescuerName(node));
    const provisioner = cluster.processes.find((p) => p.name === PROVISIONER_NAME);
    expect(agent && provisioner).toBeTruthy();
    // Freeze the node's agent (its lease stays fresh for a while), so the volume request stays Pending.
    process.kill(agent!.pid, "SIGSTOP");
    try {
      await kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim("crash") });
      await kube.core.createNamespacedPod({
        namespace,
        body: { ...podUsing("crash", "crash"), spec: { ...podUsing("crash", "crash").spec, nodeSelector: { "kubernetes.io/hostname": node } } },
      });
      await waitFor(async () => (await volumesOfClaim(kube, namespace, "crash")).length === 1, { what: "the volume requested" });
      await stopPlatformComponent(cluster, PROVISIONER_NAME, "SIGKILL");
    } finally {
      process.kill(agent!.pid, "SIGCONT");
    }
    await waitFor(async () => (await volumesOfClaim(kube, namespace, "crash"))[0]?.status?.phase === "Ready", { what: "the agent makes the volume" });
    await startProvisioner(cluster);
    const pv = await boundVolume(kube, namespace, "crash");
    expect(pinnedTo(pv)).toBe(node);
    await waitForRunningPods(kube, namespace, "", 1);
    const pvs = (await kube.core.listPersistentVolume({ labelSelector: `storage.xlss.io/claim-namespace=${namespace}` })).items;
    expect(pvs).toHaveLength(1);
    expect(await volumesOfClaim(kube, namespace, "crash")).toHaveLength(1);
  });

  kubeTest("a deleted volume whose node is removed from the cluster goes, its data forgotten rather than waited for", async ({ kube, namespace }) => {
    // A machine that is not coming back: no agent will ever remove its data, so the finalizer would hold the object forever.
    const node = `xlss-removed-${namespace.slice(-6)}`;
    await kube.core.createNode({
      body: {
        metadata: { name: node, labels: { "kubernetes.io/hostname": node } },
        spec: { unschedulable: true, taints: [{ key: "xlss.io/test-only", effect: "NoSchedule" }] },
      },
    });
    const name = `pvc-removed-${namespace.slice(-6)}`;
    await createVolume(kube, {
      apiVersion: STORAGE_API_VERSION,
      kind: "XlssVolume",
      metadata: { name, finalizers: [VOLUME_FINALIZER] },
      spec: { nodeName: node, capacity: "1Gi", claimRef: { namespace, name: "gone", uid: "00000000-0000-0000-0000-000000000000" }, reclaimPolicy: "Delete" },
    });
    // No claim and no PV: the provisioner deletes it as an orphan, and while the node exists its agent's finalizer holds it.
    await waitFor(async () => (await getVolume(kube, name))?.metadata.deletionTimestamp !== undefined, { what: "the orphaned volume deleted" });
    await new Promise((r) => setTimeout(r, 3000));
    expect((await getVolume(kube, name))?.metadata.finalizers).toEqual([VOLUME_FINALIZER]);

    await kube.core.deleteNode({ name: node });
    await waitFor(async () => (await getVolume(kube, name)) === undefined, { what: "the volume gone once its node is removed" });
  });

  kubeTest("bad claims get clear errors and nothing is created or disturbed", async ({ kube, namespace }) => {
    await kube.apps.createNamespacedStatefulSet({ namespace, body: statefulSetWithStorage({ name: "bystander", replicas: 1 }) });
    const [bystander] = await waitForRunningPods(kube, namespace, "app=bystander", 1);
    const bystanderPv = await boundVolume(kube, namespace, "data-bystander-0");

    // Rejected by the API server itself.
    await expect(
      kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim("nosize", { resources: { requests: {} } }) }),
    ).rejects.toSatisfy((err) => /spec.resources\[storage\]: Required value/.test(apiMessage(err)));
    await expect(kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim("../etc/passwd") })).rejects.toSatisfy((err) =>
      /metadata.name: Invalid value/.test(apiMessage(err)),
    );

    // Larger than any pool: the scheduler's capacity check refuses every node.
    await kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim("huge", { resources: { requests: { storage: "10Pi" } } }) });
    await kube.core.createNamespacedPod({ namespace, body: podUsing("huge", "huge") });
    // ReadWriteMany: scheduled, then refused by the provisioner (no node could serve it).
    await kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim("shared", { accessModes: ["ReadWriteMany"] }) });
    await kube.core.createNamespacedPod({ namespace, body: podUsing("shared", "shared") });

    await waitFor(
      async () => {
        const events = await kube.core.listNamespacedEvent({ namespace, fieldSelector: "involvedObject.name=huge,reason=FailedScheduling" });
        return events.items.some((e) => /did not have enough free storage/.test(e.message ?? ""));
      },
      { what: "FailedScheduling for the 10Pi claim naming storage" },
    );
    await waitFor(async () => (await claimEvents(kube, namespace, "shared")).some((e) => /ReadWriteMany is not supported/.test(e)), {
      what: "ProvisioningFailed for ReadWriteMany",
    });
    for (const name of ["huge", "shared"]) {
      expect(await volumesOfClaim(kube, namespace, name)).toHaveLength(0);
      const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name, namespace });
      expect(pvc.status?.phase).toBe("Pending");
    }
    const pvs = (await kube.core.listPersistentVolume({ labelSelector: `storage.xlss.io/claim-namespace=${namespace}` })).items;
    expect(pvs.map((p) => p.metadata?.name)).toEqual([bystanderPv.metadata?.name]);
    const still = await kube.core.readNamespacedPod({ name: "bystander-0", namespace });
    expect(still.metadata?.uid).toBe(bystander?.metadata?.uid);
    expect(still.status?.phase).toBe("Running");
  });

  kubeTest("usage above a volume's size raises an Event and a metric; pools and heartbeats are reported", async ({ kube, namespace, cluster }) => {
    await kube.core.createNamespacedPersistentVolumeClaim({ namespace, body: claim("small", { resources: { requests: { storage: "1Mi" } } }) });
    await kube.core.createNamespacedPod({ namespace, body: podUsing("writer", "small") });
    const pv = await boundVolume(kube, namespace, "small");
    const node = pinnedTo(pv) ?? "";
    const name = pv.metadata?.name ?? "";

    const pool = await waitFor(
      async () => {
        const p = await getPool(kube, node);
        return (p?.status?.volumes ?? 0) >= 1 && (p?.status?.allocatedBytes ?? 0) >= 1024 ** 2 ? p : undefined;
      },
      { what: `pool ${node} counting the new volume` },
    );
    expect(pool.status?.rootPath).toBe(nodeDisk(cluster, node));
    expect(pool.status?.capacityBytes).toBeGreaterThan(0);
    const lease = await kube.coordination.readNamespacedLease({ name: agentLeaseName(node), namespace: SYSTEM_NAMESPACE });
    expect(Date.now() - new Date(lease.spec?.renewTime ?? 0).getTime()).toBeLessThan(20_000);

    fs.writeFileSync(path.join(pv.spec?.local?.path ?? "", "big"), Buffer.alloc(3 * 1024 ** 2, 7));
    await waitFor(
      async () => {
        const events = await kube.core.listNamespacedEvent({ namespace: "default", fieldSelector: `involvedObject.name=${name},reason=OverCapacity` });
        return events.items.some((e) => /uses 3(\.\d)? MiB, more than its size 1 MiB/.test(e.message ?? ""));
      },
      { what: "an OverCapacity event on the volume", timeoutMs: 30_000 },
    );
    // The agent records the Event before it writes the measured usage into the volume's status.
    await waitFor(async () => ((await getVolume(kube, name))?.status?.usedBytes ?? 0) >= 3 * 1024 ** 2, {
      what: "the volume's status counting the 3 MiB",
      timeoutMs: 30_000,
    });

    const agent = cluster.processes.find((p) => p.name === rescuerName(node));
    const metrics = await (await fetch(`http://127.0.0.1:${agent?.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`xlss_volume_over_capacity\\{[^}]*volume="${name}"[^}]*\\} 1`));
    expect(metrics).toMatch(new RegExp(`xlss_pool_capacity_bytes\\{node="${node}"\\} \\d+`));
    const provisioner = cluster.processes.find((p) => p.name === PROVISIONER_NAME);
    // The provisioner counts a provisioning once its PV exists, which may be after the binder bound the claim.
    const pmetrics = await waitFor(
      async () => {
        const text = await (await fetch(`http://127.0.0.1:${provisioner?.metricsPort}/metrics`)).text();
        return /xlss_provisioning_duration_seconds_count\{result="succeeded"\} [1-9]/.test(text) ? text : undefined;
      },
      { what: "a succeeded provisioning counted by the provisioner", timeoutMs: 30_000 },
    );
    expect(pmetrics).toMatch(/xlss_volumes\{phase="Ready"\} [1-9]/);
    expect(pmetrics).toMatch(/xlss_provisioning_duration_seconds_count\{result="succeeded"\} [1-9]/);
  });
});
