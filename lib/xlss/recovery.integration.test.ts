import fs from "node:fs";
import path from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import {
  killMachine,
  reviveMachine,
  rescuerName,
  SCHEDULER_NAME,
  startRescuer,
  startScheduler,
  stopPlatformComponent,
} from "../../local-cluster/components";
import type { ClusterState } from "../../local-cluster/cluster";
import { checksums, writeRandomFiles } from "../../test/files";
import { kubeTest } from "../../test/kube";
import { boundVolume, eventsAbout, eventsOnceRecorded, isRunning, statefulSetWithStorage, waitForRunningPods, waitGone } from "../../test/workloads";
import { mergePatch, type KubeClients } from "../k8s/client";
import { waitFor } from "../k8s/wait";
import { createBackup, getVolume, listBackups, listFailovers, listRestores } from "./api/client";
import { STORAGE_API_VERSION, type XlssFailover } from "./api/types";
import { pinnedTo } from "./rescuer/volume-controller";
import { ON_MISSING_BACKUP } from "./scheduler/plugins/rescue";

// The whole XLSS recovery on the real local cluster: backup → node dies → guardian cleans up →
// xlss-scheduler moves the volume and restores the newest snapshot → pod Running with its data.
// The local cluster detects a dead node after ~12 s, the guardian's window is 20 s, and moved
// volumes are quarantined for 30 s when their node returns.

/** A StatefulSet scheduled by the xlss-scheduler, one replica per node. */
async function brokers(kube: KubeClients, namespace: string, name: string, replicas: number): Promise<V1Pod[]> {
  const sts = statefulSetWithStorage({ name, replicas, schedulerName: "xlss-scheduler" });
  sts.spec!.template.spec!.affinity = {
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: name } }, topologyKey: "kubernetes.io/hostname" }] },
  };
  await kube.apps.createNamespacedStatefulSet({ namespace, body: sts });
  return waitForRunningPods(kube, namespace, `app=${name}`, replicas, 120_000);
}

const volumeDir = async (kube: KubeClients, namespace: string, claim: string) => (await boundVolume(kube, namespace, claim)).spec?.local?.path ?? "";

async function backupNow(kube: KubeClients, namespace: string, claim: string): Promise<string> {
  const name = `now-${claim}`;
  await createBackup(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name, namespace }, spec: { claimName: claim, trigger: "Manual" } });
  const done = await waitFor(
    async () => {
      const b = (await listBackups(kube, {}, namespace)).items.find((x) => x.metadata.name === name);
      return b?.status?.phase === "Completed" || b?.status?.phase === "Failed" ? b : undefined;
    },
    { what: `backup of ${claim}`, timeoutMs: 120_000 },
  );
  expect(done.status?.message ?? "").toBe("");
  return done.status?.snapshotId ?? "";
}

/** The pod of that name once it runs again as a new object on a node other than `not`. */
function runningElsewhere(kube: KubeClients, namespace: string, name: string, oldUid: string, not: string, timeoutMs = 180_000): Promise<V1Pod> {
  return waitFor(
    async () => {
      const p = await kube.core.readNamespacedPod({ name, namespace });
      return p.metadata?.uid !== oldUid && isRunning(p) && p.spec?.nodeName && p.spec.nodeName !== not ? p : undefined;
    },
    { what: `${name} running on a node other than ${not}`, timeoutMs },
  );
}

async function failoverOf(kube: KubeClients, namespace: string, pod: string, phase: string, timeoutMs = 60_000): Promise<XlssFailover> {
  return waitFor(
    async () => (await listFailovers(kube, {}, namespace)).items.find((f) => f.spec.podName === pod && f.status?.phase === phase),
    { what: `failover of ${pod} ${phase}`, timeoutMs },
  );
}

async function withDeadNode<T>(cluster: ClusterState, node: string, body: () => Promise<T>): Promise<T> {
  await killMachine(cluster, node);
  try {
    return await body();
  } finally {
    await reviveMachine(cluster, node);
  }
}

describe("disaster recovery", () => {
  kubeTest("a dead node's pod runs again elsewhere with exactly its last snapshot; its neighbours are untouched; the old copy is quarantined", async ({ kube, namespace, cluster }) => {
    const pods = await brokers(kube, namespace, "kafka", 3);
    // The victim's volume was grown beyond the StatefulSet's template: its replacement must keep that size.
    await kube.core.patchNamespacedPersistentVolumeClaim({ name: "data-kafka-1", namespace, body: { spec: { resources: { requests: { storage: "2Gi" } } } } }, mergePatch);
    await waitFor(
      async () => (await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-kafka-1", namespace })).status?.capacity?.storage === "2Gi",
      { what: "data-kafka-1 grown to 2Gi" },
    );
    const dirs: string[] = [];
    const expected: Record<string, string>[] = [];
    const snapshots: string[] = [];
    for (const [i] of pods.entries()) {
      dirs[i] = await volumeDir(kube, namespace, `data-kafka-${i}`);
      writeRandomFiles(dirs[i]!, `broker-${i}`, 20, 64 * 1024);
      expected[i] = checksums(dirs[i]!);
      snapshots[i] = await backupNow(kube, namespace, `data-kafka-${i}`);
    }
    // Written after the last backup: lost with the node, by design (the RPO).
    const victim = pods[1]!;
    const deadNode = victim.spec?.nodeName ?? "";
    const oldVolume = (await boundVolume(kube, namespace, "data-kafka-1")).metadata?.name ?? "";
    fs.writeFileSync(path.join(dirs[1]!, "after-backup"), "never backed up");

    const moved = await withDeadNode(cluster, deadNode, async () => {
      const p = await runningElsewhere(kube, namespace, "kafka-1", victim.metadata?.uid ?? "", deadNode);
      const pv = await boundVolume(kube, namespace, "data-kafka-1");
      expect(pinnedTo(pv)).toBe(p.spec?.nodeName);
      expect(pv.metadata?.name).not.toBe(oldVolume);
      expect(checksums(pv.spec?.local?.path ?? "")).toEqual(expected[1]);
      expect(pv.spec?.capacity?.storage).toBe("2Gi");
      return p;
    });

    // The neighbours never moved and kept their data.
    for (const i of [0, 2]) {
      const p = await kube.core.readNamespacedPod({ name: `kafka-${i}`, namespace });
      expect(p.metadata?.uid).toBe(pods[i]!.metadata?.uid);
      expect(checksums(dirs[i]!)).toEqual(expected[i]);
    }

    // The record of the incident: every stage timed, the snapshot used, the data's age.
    const record = await failoverOf(kube, namespace, "kafka-1", "Completed");
    expect(record.spec.failedNode).toBe(deadNode);
    expect(record.status?.newNode).toBe(moved.spec?.nodeName);
    expect(record.status?.stages?.map((s) => s.name)).toEqual(["Detect", "Cleanup", "Reschedule", "Restore", "Ready"]);
    for (const s of record.status?.stages ?? []) expect(s.seconds).toBeGreaterThanOrEqual(0);
    expect(record.status?.stages?.[0]?.seconds).toBeGreaterThanOrEqual(20); // the guardian's window
    expect(record.status?.claims?.[0]).toMatchObject({ name: "data-kafka-1", oldVolume, snapshotId: snapshots[1] });
    expect(record.status?.rpoSeconds).toBeGreaterThan(0);
    expect(record.status?.totalSeconds).toBeGreaterThan(record.status?.stages?.[0]?.seconds ?? 0);
    for (const reason of ["ForceDeleted", "RescueStarted", "Rescued", "Recovered"]) {
      expect((await eventsOnceRecorded(kube, namespace, "kafka-1", reason)).length, reason).toBeGreaterThan(0);
    }

    // The node is back: its agent quarantines the old copy, which goes once the TTL is over (the
    // move being complete); the PV that pointed at it goes too.
    const quarantined = await waitFor(async () => {
      const v = await getVolume(kube, oldVolume);
      return v?.status?.phase === "Quarantined" ? v : undefined;
    }, { what: `${oldVolume} quarantined`, timeoutMs: 60_000 });
    expect(quarantined.spec.movedTo?.node).toBe(moved.spec?.nodeName);
    expect(fs.existsSync(path.join(dirs[1]!, "after-backup"))).toBe(true);
    await waitFor(async () => !(await getVolume(kube, oldVolume)), { what: `${oldVolume} deleted after its quarantine`, timeoutMs: 90_000 });
    expect(fs.existsSync(dirs[1]!)).toBe(false);
    // The provisioner deleted the PV before the volume, but the PV goes only once Kubernetes has
    // dropped its pv-protection finalizer, which may be after the volume is gone.
    await waitGone(() => kube.core.readPersistentVolume({ name: oldVolume }), `PV ${oldVolume}`);
  });

  kubeTest("no snapshot: the pod waits with a clear Event and never starts empty, unless its claim allows it", async ({ kube, namespace, cluster }) => {
    const [pod] = await brokers(kube, namespace, "cache", 1);
    const deadNode = pod!.spec?.nodeName ?? "";
    const claim = await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-cache-0", namespace });
    writeRandomFiles(await volumeDir(kube, namespace, "data-cache-0"), "x", 2, 1024);

    await withDeadNode(cluster, deadNode, async () => {
      const [event] = await waitFor(async () => {
        const e = (await eventsAbout(kube, namespace, "cache-0", "FailedScheduling")).filter((x) => /has no backup to restore/.test(x.message ?? ""));
        return e.length ? e : undefined;
      }, { what: "FailedScheduling: no backup", timeoutMs: 120_000 });
      expect(event?.message).toMatch(new RegExp(`the volume of claim data-cache-0 is on node ${deadNode}, which is gone .*annotate the claim ${ON_MISSING_BACKUP}=StartEmpty`));
      const waiting = await failoverOf(kube, namespace, "cache-0", "WaitingForBackup");
      expect(waiting.status?.message).toMatch(/claim data-cache-0 has no backup/);
      // Nothing was touched: same claim, still bound to the old volume; the pod is not placed.
      const same = await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-cache-0", namespace });
      expect(same.metadata?.uid).toBe(claim.metadata?.uid);
      expect((await kube.core.readNamespacedPod({ name: "cache-0", namespace })).spec?.nodeName ?? "").toBe("");

      // The owner accepts an empty start (a cache, or a broker that re-replicates from its peers).
      await kube.core.patchNamespacedPersistentVolumeClaim(
        { name: "data-cache-0", namespace, body: { metadata: { annotations: { [ON_MISSING_BACKUP]: "StartEmpty" } } } },
        mergePatch,
      );
      const moved = await runningElsewhere(kube, namespace, "cache-0", pod!.metadata?.uid ?? "", deadNode);
      expect(checksums(await volumeDir(kube, namespace, "data-cache-0"))).toEqual({});
      const done = await failoverOf(kube, namespace, "cache-0", "Completed");
      expect(done.status?.newNode).toBe(moved.spec?.nodeName);
      expect(done.status?.claims?.[0]?.startedEmpty).toBe(true);
      expect(done.status?.rpoSeconds).toBeUndefined();
    });
  });

  kubeTest("the scheduler and the target's agent killed in the middle of a recovery: it still completes", async ({ kube, namespace, cluster }) => {
    const [pod] = await brokers(kube, namespace, "zk", 1);
    const deadNode = pod!.spec?.nodeName ?? "";
    const dir = await volumeDir(kube, namespace, "data-zk-0");
    writeRandomFiles(dir, "log", 40, 1024 * 1024);
    const expected = checksums(dir);
    await backupNow(kube, namespace, "data-zk-0");

    await withDeadNode(cluster, deadNode, async () => {
      // The scheduler dies right after marking the pod: before or while it moves the claim.
      await waitFor(async () => (await eventsAbout(kube, namespace, "zk-0", "RescueStarted")).length > 0, { what: "RescueStarted", timeoutMs: 120_000 });
      await stopPlatformComponent(cluster, SCHEDULER_NAME, "SIGKILL");
      await startScheduler(cluster);
      // The agent of the node it restores on dies during the restore.
      const restore = await waitFor(async () => (await listRestores(kube, {}, namespace)).items.find((r) => r.status?.node), {
        what: "the rescue's restore picked up by an agent",
        timeoutMs: 120_000,
      });
      const target = restore.status?.node ?? "";
      await stopPlatformComponent(cluster, rescuerName(target), "SIGKILL");
      await startRescuer(cluster, target);

      await runningElsewhere(kube, namespace, "zk-0", pod!.metadata?.uid ?? "", deadNode);
      expect(checksums(await volumeDir(kube, namespace, "data-zk-0"))).toEqual(expected);
      await failoverOf(kube, namespace, "zk-0", "Completed");
    });
  });

  kubeTest("the pod deleted in the middle of its rescue: the replacement carries on the restore, never starts empty", async ({ kube, namespace, cluster }) => {
    const [pod] = await brokers(kube, namespace, "bk", 1);
    const deadNode = pod!.spec?.nodeName ?? "";
    const dir = await volumeDir(kube, namespace, "data-bk-0");
    writeRandomFiles(dir, "log", 30, 10 * 1024 * 1024);
    const expected = checksums(dir);
    await backupNow(kube, namespace, "data-bk-0");

    await withDeadNode(cluster, deadNode, async () => {
      const restore = await waitFor(async () => (await listRestores(kube, {}, namespace)).items[0], { what: "the rescue's restore", timeoutMs: 120_000 });
      const marked = await kube.core.readNamespacedPod({ name: "bk-0", namespace });
      // Someone deletes the pod while its data is being restored: its StatefulSet makes another.
      await kube.core.deleteNamespacedPod({ name: "bk-0", namespace, body: { preconditions: { uid: marked.metadata?.uid } } });
      const back = await runningElsewhere(kube, namespace, "bk-0", marked.metadata?.uid ?? "", deadNode);
      expect(back.metadata?.uid).not.toBe(marked.metadata?.uid);
      expect(checksums(await volumeDir(kube, namespace, "data-bk-0"))).toEqual(expected);
      expect(restore.spec.claimName).toBe("data-bk-0");
      const claim = await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-bk-0", namespace });
      expect(claim.metadata?.annotations?.["storage.xlss.io/rescue-restore"]).toBeUndefined();
    });
  });
});
