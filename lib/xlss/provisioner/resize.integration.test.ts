import fs from "node:fs";
import path from "node:path";
import type { V1CSIStorageCapacity } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { mergePatch, type KubeClients } from "../../k8s/client";
import { apiMessage } from "../../k8s/errors";
import { waitFor } from "../../k8s/wait";
import { PROVISIONER_NAME, rescuerName, startProvisioner, stopPlatformComponent } from "../../../local-cluster/components";
import { kubeTest } from "../../../test/kube";
import { eventsAbout, eventsOnceRecorded, statefulSetOn, waitForRunningPods } from "../../../test/workloads";
import { getPool, getVolume, listVolumes } from "../api/client";
import { PLURALS, STORAGE_GROUP, STORAGE_VERSION, SYSTEM_NAMESPACE } from "../api/types";
import { allocatedBytes, quantityBytes } from "../capacity";

const GiB = 1024 ** 3;
const volumeApi = { group: STORAGE_GROUP, version: STORAGE_VERSION, plural: PLURALS.volume };
const poolApi = (node: string) => ({ group: STORAGE_GROUP, version: STORAGE_VERSION, plural: PLURALS.pool, name: node });

const growClaim = (kube: KubeClients, namespace: string, claim: string, size: string) =>
  kube.core.patchNamespacedPersistentVolumeClaim({ name: claim, namespace, body: { spec: { resources: { requests: { storage: size } } } } }, mergePatch);

const reasons = async (kube: KubeClients, namespace: string, claim: string) =>
  (await eventsAbout(kube, namespace, claim)).map((e) => `${e.reason}: ${e.message}`);

/** Waits until the claim's status.capacity is `size`, and returns the claim. */
const claimCapacity = (kube: KubeClients, namespace: string, claim: string, size: string) =>
  waitFor(
    async () => {
      const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace });
      return pvc.status?.capacity?.storage === size ? pvc : undefined;
    },
    { what: `claim ${claim} status.capacity ${size}`, timeoutMs: 120_000 },
  );

const csiCapacity = async (kube: KubeClients, node: string): Promise<number> => {
  const c: V1CSIStorageCapacity = await kube.storage.readNamespacedCSIStorageCapacity({ name: `xlss-${node}-xlss-local`, namespace: SYSTEM_NAMESPACE });
  return quantityBytes(c.capacity) ?? -1;
};

/**
 * The pool's allocation and published capacity once the agent has counted every volume now on the
 * node; `others` is what the volumes other than `volume` hold (volumes of other tests come and go on
 * the shared nodes, and those of earlier tests' namespaces are still being deleted).
 */
async function settledPool(kube: KubeClients, node: string, volume: string) {
  return waitFor(
    async () => {
      const pool = await getPool(kube, node);
      const onNode = (await listVolumes(kube, { fieldSelector: `spec.nodeName=${node}` })).items;
      const allocated = pool?.status?.allocatedBytes;
      if (allocated !== allocatedBytes(onNode)) return undefined;
      const csi = await csiCapacity(kube, node);
      const expected = Math.max(0, Math.min((pool?.status?.capacityBytes ?? 0) - allocated, pool?.status?.filesystemFreeBytes ?? 0));
      const others = allocatedBytes(onNode.filter((v) => v.metadata.name !== volume));
      return csi === expected ? { allocated, others, own: allocated - others, csi } : undefined;
    },
    { what: `pool ${node} settled`, timeoutMs: 60_000 },
  );
}

/**
 * Caps `node`'s pool at what its volumes hold plus 1 GiB and grows `claim` (1Gi) beyond what that cap
 * can ever give: volumes of earlier tests still being deleted free room meanwhile, up to all they
 * hold, so the growth asks for more than the node holds now. Returns the target in GiB once the claim
 * is marked infeasible; the caller lifts the cap (`uncapPool`).
 */
async function growBeyondRoom(kube: KubeClients, namespace: string, node: string, claim: string) {
  const held = allocatedBytes((await listVolumes(kube, { fieldSelector: `spec.nodeName=${node}` })).items);
  const target = Math.ceil(held / GiB) + 2;
  await kube.custom.patchClusterCustomObject({ ...poolApi(node), body: { spec: { capacity: String(held + GiB) } } }, mergePatch);
  await waitFor(async () => (await getPool(kube, node))?.status?.capacityBytes === held + GiB, { what: "the capped pool reported" });
  await growClaim(kube, namespace, claim, `${target}Gi`);
  const pvc = await waitFor(
    async () => {
      const c = await kube.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace });
      return c.status?.allocatedResourceStatuses?.storage === "ControllerResizeInfeasible" ? c : undefined;
    },
    { what: "the claim marked ControllerResizeInfeasible" },
  );
  return { target, pvc };
}

const uncapPool = (kube: KubeClients, node: string) =>
  kube.custom.patchClusterCustomObject({ ...poolApi(node), body: { spec: { capacity: null } } }, mergePatch);

describe("growing xlss-local claims", () => {
  kubeTest("a StatefulSet pod's claim grown 1Gi → 3Gi: volume, PV, claim, pool and published capacity follow; data untouched; shrinking refused", async ({ kube, namespace, cluster }) => {
    const node = "xlss-node-4";
    // A capped pool: its published capacity is then pool capacity − allocated, not the (larger) free disk.
    await kube.custom.patchClusterCustomObject({ ...poolApi(node), body: { spec: { capacity: "20Gi" } } }, mergePatch);
    try {
      const pv = await statefulSetOn(kube, namespace, "kafka", node);
      const claim = "data-kafka-0";
      const name = pv.metadata!.name!;
      fs.writeFileSync(path.join(pv.spec!.local!.path!, "segment.log"), "offset 42\n");
      const before = await settledPool(kube, node, name);

      await growClaim(kube, namespace, claim, "3Gi");
      const pvc = await claimCapacity(kube, namespace, claim, "3Gi");
      expect(pvc.status?.allocatedResources?.storage).toBe("3Gi");
      expect(pvc.status?.allocatedResourceStatuses?.storage).toBeUndefined();
      expect((pvc.status?.conditions ?? []).map((c) => c.type)).not.toContain("Resizing");
      expect((await kube.core.readPersistentVolume({ name })).spec?.capacity?.storage).toBe("3Gi");
      expect((await getVolume(kube, name))?.spec.capacity).toBe("3Gi");
      await eventsOnceRecorded(kube, namespace, claim, "VolumeResizeSuccessful");
      const events = (await reasons(kube, namespace, claim)).join("\n");
      expect(events).toContain(`Resizing: growing volume ${name} on ${node} from 1 GiB to 3 GiB`);
      expect(events).toContain(`VolumeResizeSuccessful: volume ${name} on ${node} grown from 1 GiB to 3 GiB`);

      // The pool reserves 2 GiB more for this volume, and the schedulers are told 2 GiB less is free
      // (the capped pool publishes capacity − allocated, so csi + others is capacity − this volume).
      const after = await waitFor(
        async () => {
          const s = await settledPool(kube, node, name);
          return s.own === 3 * GiB ? s : undefined;
        },
        { what: "the pool counting the grown volume", timeoutMs: 60_000 },
      );
      expect(before.csi + before.others - (after.csi + after.others)).toBe(2 * GiB);
      expect(fs.readFileSync(path.join(pv.spec!.local!.path!, "segment.log"), "utf8")).toBe("offset 42\n");
      // The pod was never disturbed.
      const [pod] = await waitForRunningPods(kube, namespace, "app=kafka", 1);
      expect(pod!.spec?.nodeName).toBe(node);

      // Shrinking: the API server refuses the claim, the CRD refuses the volume.
      await expect(growClaim(kube, namespace, claim, "2Gi")).rejects.toSatisfy((err) => /can not be less than/.test(apiMessage(err)));
      await expect(
        kube.custom.patchClusterCustomObject({ ...volumeApi, name, body: { spec: { capacity: "1Gi" } } }, mergePatch),
      ).rejects.toSatisfy((err) => /capacity cannot shrink/.test(apiMessage(err)));
      expect((await getVolume(kube, name))?.spec.capacity).toBe("3Gi");

      const provisioner = cluster.processes.find((p) => p.name === PROVISIONER_NAME);
      const metrics = await (await fetch(`http://127.0.0.1:${provisioner?.metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/xlss_volume_resizes_total\{result="succeeded"\} [1-9]/);
    } finally {
      await uncapPool(kube, node);
    }
  });

  kubeTest("a growth beyond the node's free space: VolumeResizeFailed with the figures, nothing changed; done once the pool is enlarged", async ({ kube, namespace }) => {
    const node = "xlss-node-2";
    const pv = await statefulSetOn(kube, namespace, "grow", node);
    const claim = "data-grow-0";
    const name = pv.metadata!.name!;
    try {
      const { target, pvc } = await growBeyondRoom(kube, namespace, node, claim);
      const failure = new RegExp(`^VolumeResizeFailed: node ${node} has \\d+(\\.\\d+)? [KMG]?i?B free, growing ${claim} from 1 GiB to ${target} GiB needs ${target - 1} GiB more$`);
      expect((await eventsOnceRecorded(kube, namespace, claim, "VolumeResizeFailed")).map((e) => `${e.reason}: ${e.message}`)).toContainEqual(expect.stringMatching(failure));
      expect(pvc.status?.capacity?.storage).toBe("1Gi");
      expect(pvc.status?.conditions?.find((c) => c.type === "ControllerResizeError")?.message).toMatch(`needs ${target - 1} GiB more`);
      expect((await kube.core.readPersistentVolume({ name })).spec?.capacity?.storage).toBe("1Gi");
      expect((await getVolume(kube, name))?.spec.capacity).toBe("1Gi");
      expect((await reasons(kube, namespace, claim)).some((e) => e.startsWith("VolumeResizeSuccessful"))).toBe(false);

      // The administrator enlarges the pool: the waiting claim grows without anyone touching it.
      await uncapPool(kube, node);
      const grown = await claimCapacity(kube, namespace, claim, `${target}Gi`);
      expect(grown.status?.allocatedResourceStatuses?.storage).toBeUndefined();
      expect((grown.status?.conditions ?? []).map((c) => c.type)).not.toContain("ControllerResizeError");
      expect((await kube.core.readPersistentVolume({ name })).spec?.capacity?.storage).toBe(`${target}Gi`);
      expect((await getVolume(kube, name))?.spec.capacity).toBe(`${target}Gi`);
    } finally {
      await uncapPool(kube, node);
    }
  });

  kubeTest("after a growth that does not fit, the request lowered to a size that fits: it grows to that", async ({ kube, namespace }) => {
    const node = "xlss-node-3";
    const pv = await statefulSetOn(kube, namespace, "lower", node);
    const claim = "data-lower-0";
    const name = pv.metadata!.name!;
    try {
      await growBeyondRoom(kube, namespace, node, claim);
      // Kubernetes lets the request come down again, as long as it stays above status.capacity.
      await expect(growClaim(kube, namespace, claim, "1Gi")).rejects.toSatisfy((err) => /can not be less than status.capacity/.test(apiMessage(err)));
      await growClaim(kube, namespace, claim, "2Gi");
      const grown = await claimCapacity(kube, namespace, claim, "2Gi");
      expect(grown.status?.allocatedResources?.storage).toBe("2Gi");
      expect(grown.status?.allocatedResourceStatuses?.storage).toBeUndefined();
      expect((await kube.core.readPersistentVolume({ name })).spec?.capacity?.storage).toBe("2Gi");
      expect((await getVolume(kube, name))?.spec.capacity).toBe("2Gi");
    } finally {
      await uncapPool(kube, node);
    }
  });

  kubeTest("the node agent's usage check follows the new size: over capacity before, not after", async ({ kube, namespace, cluster }) => {
    const node = "xlss-node-4";
    const pv = await statefulSetOn(kube, namespace, "usage", node, "1Mi");
    const name = pv.metadata!.name!;
    fs.writeFileSync(path.join(pv.spec!.local!.path!, "big"), Buffer.alloc(3 * 1024 ** 2, 7));
    const agent = cluster.processes.find((p) => p.name === rescuerName(node));
    const overCapacity = async () => {
      const text = await (await fetch(`http://127.0.0.1:${agent?.metricsPort}/metrics`)).text();
      return new RegExp(`xlss_volume_over_capacity\\{[^}]*volume="${name}"[^}]*\\} (\\d)`).exec(text)?.[1];
    };
    await waitFor(async () => (await overCapacity()) === "1", { what: "the volume over its 1Mi", timeoutMs: 60_000 });
    await growClaim(kube, namespace, "data-usage-0", "10Mi");
    await claimCapacity(kube, namespace, "data-usage-0", "10Mi");
    await waitFor(async () => (await overCapacity()) === "0", { what: "the volume within its new 10Mi", timeoutMs: 60_000 });
  });

  kubeTest("the provisioner killed after raising the volume, before the PV and the claim: it converges on restart", async ({ kube, namespace, cluster }) => {
    const node = "xlss-node-1";
    const pv = await statefulSetOn(kube, namespace, "crash", node);
    const claim = "data-crash-0";
    const name = pv.metadata!.name!;
    await stopPlatformComponent(cluster, PROVISIONER_NAME, "SIGKILL");
    try {
      await growClaim(kube, namespace, claim, "2Gi");
      // What the provisioner had done when it died: the claim marked as resizing, the volume raised.
      await kube.core.patchNamespacedPersistentVolumeClaimStatus(
        {
          name: claim,
          namespace,
          body: {
            status: {
              allocatedResources: { storage: "2Gi" },
              allocatedResourceStatuses: { storage: "ControllerResizeInProgress" },
              conditions: [{ type: "Resizing", status: "True", lastTransitionTime: new Date() }],
            },
          },
        },
        mergePatch,
      );
      await kube.custom.patchClusterCustomObject({ ...volumeApi, name, body: { spec: { capacity: "2Gi" } } }, mergePatch);
    } finally {
      await startProvisioner(cluster);
    }
    const pvc = await claimCapacity(kube, namespace, claim, "2Gi");
    expect(pvc.status?.allocatedResourceStatuses?.storage).toBeUndefined();
    expect((pvc.status?.conditions ?? []).map((c) => c.type)).not.toContain("Resizing");
    expect((await kube.core.readPersistentVolume({ name })).spec?.capacity?.storage).toBe("2Gi");
    // Grown once, not twice: the restarted provisioner found the volume at its target.
    expect((await getVolume(kube, name))?.spec.capacity).toBe("2Gi");
    expect(await eventsOnceRecorded(kube, namespace, claim, "VolumeResizeSuccessful")).toHaveLength(1);
  });
});
