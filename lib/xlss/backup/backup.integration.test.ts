import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { V1PersistentVolume } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { mergePatch, type KubeClients } from "../../k8s/client";
import { waitFor } from "../../k8s/wait";
import type { ClusterState } from "../../../local-cluster/cluster";
import { rescuerName, startRescuer, stopPlatformComponent } from "../../../local-cluster/components";
import { checksums, writeRandomFiles } from "../../../test/files";
import { kubeTest } from "../../../test/kube";
import { boundVolume, statefulSetWithStorage, waitForRunningPods } from "../../../test/workloads";
import { createBackup, createRestore, getRestore, listBackups } from "../api/client";
import { BACKUP_SECRET, STORAGE_API_VERSION, SYSTEM_NAMESPACE, type XlssBackup, type XlssRestore } from "../api/types";
import { pinnedTo } from "../rescuer/volume-controller";
import { SELECTED_NODE } from "../provisioner/claim-controller";

const EVERY_10S = { "backup.xlss.io/schedule": "@every 10s", "backup.xlss.io/retention": "last=2" };

/** A one-replica StatefulSet `name` with pod annotations; returns its volume (PV) once Running. */
async function workload(kube: KubeClients, namespace: string, name: string, annotations: Record<string, string> = {}) {
  const sts = statefulSetWithStorage({ name, replicas: 1 });
  sts.spec!.template.metadata!.annotations = annotations;
  await kube.apps.createNamespacedStatefulSet({ namespace, body: sts });
  const [pod] = await waitForRunningPods(kube, namespace, `app=${name}`, 1);
  const pv = await boundVolume(kube, namespace, `data-${name}-0`);
  return { pod: pod!, pv, dir: pv.spec?.local?.path ?? "" };
}

/** A claim provisioned on `node` without a pod (as a scheduler would pick it), e.g. a restore target. */
async function volumeOn(kube: KubeClients, namespace: string, claim: string, node: string): Promise<V1PersistentVolume> {
  await kube.core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: claim, annotations: { [SELECTED_NODE]: node } },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "1Gi" } } },
    },
  });
  return boundVolume(kube, namespace, claim);
}

const backups = async (kube: KubeClients, namespace: string, claim: string) =>
  (await listBackups(kube, {}, namespace)).items.filter((b) => b.spec.claimName === claim);

async function backupNow(kube: KubeClients, namespace: string, claim: string, name: string): Promise<XlssBackup> {
  await createBackup(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name, namespace }, spec: { claimName: claim, trigger: "Manual" } });
  return waitFor(
    async () => {
      const b = (await backups(kube, namespace, claim)).find((x) => x.metadata.name === name);
      return b?.status?.phase === "Completed" || b?.status?.phase === "Failed" ? b : undefined;
    },
    { what: `backup ${name} finished`, timeoutMs: 120_000 },
  );
}

async function restore(kube: KubeClients, namespace: string, name: string, spec: XlssRestore["spec"], timeoutMs = 120_000): Promise<XlssRestore> {
  await createRestore(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssRestore", metadata: { name, namespace }, spec });
  return waitFor(
    async () => {
      const r = await getRestore(kube, namespace, name);
      return r?.status?.phase === "Completed" || r?.status?.phase === "Failed" ? r : undefined;
    },
    { what: `restore ${name} finished`, timeoutMs },
  );
}

function snapshotsInRepo(cluster: ClusterState, kube: KubeClients, namespace: string, password: string): string[] {
  const pwFile = path.join(cluster.dir, `pw-${namespace}`);
  fs.writeFileSync(pwFile, password, { mode: 0o600 });
  const out = execFileSync("restic", ["-r", path.join(cluster.dir, "backups", namespace), "--password-file", pwFile, "--no-lock", "snapshots", "--json", "--tag", `namespace=${namespace}`]);
  fs.rmSync(pwFile);
  return (JSON.parse(out.toString()) as { id: string }[]).map((s) => s.id);
}

async function backupSecret(kube: KubeClients): Promise<Record<string, string>> {
  const s = await kube.core.readNamespacedSecret({ name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE });
  return Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
}

async function setBackupSecret(kube: KubeClients, data: Record<string, string>): Promise<void> {
  await kube.core.replaceNamespacedSecret({
    name: BACKUP_SECRET,
    namespace: SYSTEM_NAMESPACE,
    body: { metadata: { name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE }, stringData: data },
  });
}

describe("backups and restores by the node agent", () => {
  kubeTest("scheduled backups: incremental after a change, retention prunes snapshots and records", async ({ kube, namespace, cluster }) => {
    const { dir } = await workload(kube, namespace, "sched", EVERY_10S);
    writeRandomFiles(dir, "segments", 20, 256 * 1024);
    const full = await waitFor(
      async () => (await backups(kube, namespace, "data-sched-0")).find((b) => b.status?.phase === "Completed" && (b.status.totalFiles ?? 0) >= 20),
      { what: "a backup holding the 20 files", timeoutMs: 90_000 },
    );
    expect(full.status?.bytesProcessed).toBeGreaterThanOrEqual(20 * 256 * 1024);

    fs.writeFileSync(path.join(dir, "segments", "new"), "one more record\n");
    const incremental = await waitFor(
      async () => (await backups(kube, namespace, "data-sched-0")).find((b) => b.status?.phase === "Completed" && (b.status.totalFiles ?? 0) >= 21),
      { what: "a backup after the change", timeoutMs: 60_000 },
    );
    expect(incremental.status?.parentSnapshotId).toBeTruthy();
    expect(incremental.status?.filesNew).toBe(1);
    expect(incremental.status?.bytesAdded).toBeLessThan(64 * 1024);

    // Keep going until retention (last=2) has had something to prune.
    await waitFor(
      async () => {
        const done = (await backups(kube, namespace, "data-sched-0")).filter((b) => b.status?.phase === "Completed");
        return done.some((b) => b.metadata.name !== incremental.metadata.name && (b.status?.startTime ?? "") > (incremental.status?.completionTime ?? "")) ? done : undefined;
      },
      { what: "a backup after the incremental one", timeoutMs: 60_000 },
    );
    // Pause the policy so that the repository and the records hold still, then compare them.
    await kube.core.patchNamespacedPod({ name: "sched-0", namespace, body: { metadata: { annotations: { "backup.xlss.io/enabled": "false" } } } }, mergePatch);
    const records = await waitFor(
      async () => {
        const all = await backups(kube, namespace, "data-sched-0");
        const done = all.filter((b) => b.status?.phase === "Completed");
        return all.every((b) => b.status?.phase !== "Running") && done.length <= 2 ? done : undefined;
      },
      { what: "retention applied and no backup running", timeoutMs: 60_000 },
    );
    expect(records.length).toBe(2);
    const snaps = snapshotsInRepo(cluster, kube, namespace, (await backupSecret(kube)).password ?? "");
    expect(snaps.length).toBe(2);
    for (const r of records) expect(snaps).toContain(r.status?.snapshotId);
  });

  kubeTest("back up now, then restore latest into a new volume on another node: identical files", async ({ kube, namespace }) => {
    const { pod, dir } = await workload(kube, namespace, "src");
    writeRandomFiles(dir, "a", 10, 100 * 1024);
    writeRandomFiles(dir, "b/c", 5, 1024);
    fs.symlinkSync("a/f0", path.join(dir, "link"));
    const expected = checksums(dir);

    const b = await backupNow(kube, namespace, "data-src-0", "now");
    expect(b.status?.phase).toBe("Completed");
    expect(b.status?.node).toBe(pod.spec?.nodeName);

    const other = ["xlss-node-1", "xlss-node-2", "xlss-node-3", "xlss-node-4"].find((n) => n !== pod.spec?.nodeName)!;
    const target = await volumeOn(kube, namespace, "copy", other);
    expect(pinnedTo(target)).toBe(other);
    fs.writeFileSync(path.join(target.spec?.local?.path ?? "", "stale"), "replaced by the restore");
    const r = await restore(kube, namespace, "to-copy", { claimName: "data-src-0", snapshot: "latest", targetVolume: target.metadata?.name ?? "" });
    expect(r.status?.message).toBe("");
    expect(r.status?.phase).toBe("Completed");
    expect(r.status?.node).toBe(other);
    expect(r.status?.snapshotId).toBe(b.status?.snapshotId);
    expect(r.status?.percent).toBe(100);
    expect(checksums(target.spec?.local?.path ?? "")).toEqual(expected);
    expect(fs.readlinkSync(path.join(target.spec?.local?.path ?? "", "link"))).toBe("a/f0");

    // The source volume is in use by its running pod: overwriting it needs force.
    const refused = await restore(kube, namespace, "onto-running", { claimName: "data-src-0", targetVolume: (await boundVolume(kube, namespace, "data-src-0")).metadata?.name ?? "" });
    expect(refused.status?.phase).toBe("Failed");
    expect(refused.status?.message).toMatch(/in use by running pod src-0; stop it first or set spec.force/);
    expect(checksums(dir)).toEqual(expected);
  });

  kubeTest("agent killed mid-backup and mid-restore: the next run completes, no lock left, target never half-restored", async ({ kube, namespace, cluster }) => {
    const { pod, dir } = await workload(kube, namespace, "big");
    const node = pod.spec?.nodeName ?? "";
    writeRandomFiles(dir, "data", 40, 4 * 1024 * 1024);
    await createBackup(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name: "killed", namespace }, spec: { claimName: "data-big-0" } });
    await waitFor(async () => (await backups(kube, namespace, "data-big-0"))[0]?.status?.phase === "Running", { what: "backup running", intervalMs: 50 });
    await stopPlatformComponent(cluster, rescuerName(node), "SIGKILL");
    await startRescuer(cluster, node);
    const killed = await waitFor(
      async () => {
        const b = (await backups(kube, namespace, "data-big-0")).find((x) => x.metadata.name === "killed");
        return b?.status?.phase === "Failed" ? b : undefined;
      },
      { what: "the interrupted backup marked Failed" },
    );
    expect(killed.status?.message).toMatch(/interrupted: the node agent restarted/);
    const retry = await backupNow(kube, namespace, "data-big-0", "after-restart");
    expect(retry.status?.message).toBe("");
    expect(retry.status?.phase).toBe("Completed");

    const other = cluster.nodes.find((n) => n !== node)!;
    const target = await volumeOn(kube, namespace, "restored", other);
    const targetDir = target.spec?.local?.path ?? "";
    fs.writeFileSync(path.join(targetDir, "before"), "old contents");
    const before = checksums(targetDir);
    await createRestore(kube, {
      apiVersion: STORAGE_API_VERSION,
      kind: "XlssRestore",
      metadata: { name: "killed-restore", namespace },
      spec: { claimName: "data-big-0", targetVolume: target.metadata?.name ?? "" },
    });
    await waitFor(async () => (await getRestore(kube, namespace, "killed-restore"))?.status?.phase === "Running", { what: "restore running", intervalMs: 50 });
    await stopPlatformComponent(cluster, rescuerName(other), "SIGKILL");
    expect(checksums(targetDir)).toEqual(before);
    await startRescuer(cluster, other);
    const done = await waitFor(
      async () => {
        const r = await getRestore(kube, namespace, "killed-restore");
        return r?.status?.phase === "Completed" || r?.status?.phase === "Failed" ? r : undefined;
      },
      { what: "the restore finished after the restart", timeoutMs: 120_000 },
    );
    expect(done.status?.message).toBe("");
    expect(checksums(targetDir)).toEqual(checksums(dir));
    expect(fs.existsSync(path.join(cluster.dir, "backups", namespace, "locks")) ? fs.readdirSync(path.join(cluster.dir, "backups", namespace, "locks")) : []).toEqual([]);
  });

  kubeTest("full disk, wrong password, missing target: Failed with a clear message, Event, metric; other namespaces unaffected", async ({ kube, namespace, cluster }) => {
    const { pod, dir } = await workload(kube, namespace, "victim");
    writeRandomFiles(dir, "d", 4, 1024 * 1024);
    const otherNs = `${namespace}-other`;
    await kube.core.createNamespace({ body: { metadata: { name: otherNs, labels: { "xlss.io/test": "true" } } } });
    const original = await backupSecret(kube);
    try {
      await waitFor(() => kube.core.readNamespacedServiceAccount({ name: "default", namespace: otherNs }), { what: "service account" });
      const bystander = await workload(kube, otherNs, "bystander");
      writeRandomFiles(bystander.dir, "d", 2, 64 * 1024);

      // A full backup disk: this namespace's repository lives on a 2 MiB tmpfs.
      const repo = path.join(cluster.dir, "backups", namespace);
      fs.mkdirSync(repo, { recursive: true });
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", repo]);
      try {
        const full = await backupNow(kube, namespace, "data-victim-0", "disk-full");
        expect(full.status?.phase).toBe("Failed");
        expect(full.status?.message).toMatch(/no space left/);
        // Meanwhile another namespace's volume backs up fine.
        expect((await backupNow(kube, otherNs, "data-bystander-0", "fine")).status?.phase).toBe("Completed");
      } finally {
        execFileSync("umount", [repo]);
      }
      // The repository vanished with the tmpfs: that is reported once, then it is created afresh.
      const vanished = await backupNow(kube, namespace, "data-victim-0", "vanished");
      expect(vanished.status?.message).toMatch(/no restic repository at .*\/backups\/t-[0-9a-f]+/);
      expect((await backupNow(kube, namespace, "data-victim-0", "disk-ok")).status?.phase).toBe("Completed");

      await setBackupSecret(kube, { ...original, password: "not-the-password" });
      const wrong = await backupNow(kube, namespace, "data-victim-0", "wrong-password");
      expect(wrong.status?.phase).toBe("Failed");
      expect(wrong.status?.message).toMatch(/wrong repository password/);

      await setBackupSecret(kube, { ...original, repository: path.join(cluster.dir, "not-mounted") });
      const missing = await backupNow(kube, namespace, "data-victim-0", "missing");
      expect(missing.status?.phase).toBe("Failed");
      expect(missing.status?.message).toMatch(/not-mounted does not exist \(is the backup volume mounted\?\)/);

      const events = await kube.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod.metadata?.name},reason=BackupFailed` });
      const text = events.items.map((e) => e.message).join("\n");
      expect(text).toMatch(/wrong repository password/);
      expect(text).toMatch(/no space left/);
      const agent = cluster.processes.find((p) => p.name === rescuerName(pod.spec?.nodeName ?? ""));
      const metrics = await (await fetch(`http://127.0.0.1:${agent?.metricsPort}/metrics`)).text();
      expect(metrics).toMatch(new RegExp(`xlss_backup_failures_total\\{namespace="${namespace}",claim="data-victim-0",reason="wrong-password"\\} 1`));
      expect(metrics).toMatch(new RegExp(`xlss_backup_failures_total\\{namespace="${namespace}",claim="data-victim-0",reason="disk-full"\\} 1`));
    } finally {
      await setBackupSecret(kube, original);
      await kube.core.deleteNamespace({ name: otherNs });
    }
    // With the target healthy again, the next backup of the same volume works.
    expect((await backupNow(kube, namespace, "data-victim-0", "recovered")).status?.phase).toBe("Completed");
  });

  kubeTest("bad backup annotations: an Event on the pod, and no backup", async ({ kube, namespace }) => {
    const { pod } = await workload(kube, namespace, "badpolicy", {
      "backup.xlss.io/schedule": "61 * * * *",
      "backup.xlss.io/retention": "last=-3",
      "backup.xlss.io/shedule": "typo",
    });
    const event = await waitFor(
      async () => {
        const events = await kube.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${pod.metadata?.name},reason=InvalidBackupPolicy` });
        return events.items[0];
      },
      { what: "InvalidBackupPolicy event" },
    );
    expect(event.message).toMatch(/invalid cron expression "61 \* \* \* \*"/);
    expect(event.message).toMatch(/last must be at least 1, got -3/);
    expect(event.message).toMatch(/unknown annotation backup.xlss.io\/shedule/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await backups(kube, namespace, "data-badpolicy-0")).toEqual([]);
  });

  kubeTest("periodic repository checks report a healthy repository and catch a damaged one", async ({ kube, namespace, cluster }) => {
    const { pod, dir } = await workload(kube, namespace, "checked");
    writeRandomFiles(dir, "d", 3, 256 * 1024);
    expect((await backupNow(kube, namespace, "data-checked-0", "base")).status?.phase).toBe("Completed");
    const node = pod.spec?.nodeName ?? "";
    await stopPlatformComponent(cluster, rescuerName(node));
    const agent = await startRescuer(cluster, node, ["--check-interval-ms=3000", "--check-subset=100"]);
    const scrape = async () => (await (await fetch(`http://127.0.0.1:${agent.metricsPort}/metrics`)).text()).split("\n");
    const line = (lines: string[]) => lines.find((l) => l.startsWith(`xlss_repository_check_success{namespace="${namespace}"}`));
    await waitFor(async () => line(await scrape())?.endsWith(" 1"), { what: "a passing check", timeoutMs: 60_000 });

    // Flip bytes inside every data pack file, as a failing disk would (content checksums then differ).
    const data = path.join(cluster.dir, "backups", namespace, "data");
    for (const sub of fs.readdirSync(data)) {
      for (const pack of fs.readdirSync(path.join(data, sub))) {
        const file = path.join(data, sub, pack);
        fs.chmodSync(file, 0o600);
        const fd = fs.openSync(file, "r+");
        fs.writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 100);
        fs.closeSync(fd);
      }
    }
    try {
      await waitFor(async () => line(await scrape())?.endsWith(" 0"), { what: "a failing check", timeoutMs: 60_000 });
    } finally {
      await stopPlatformComponent(cluster, rescuerName(node));
      await startRescuer(cluster, node);
    }
  });

  kubeTest("first backups on several nodes at once share one valid repository; an empty volume backs up as empty", async ({ kube, namespace, cluster }) => {
    const sts = statefulSetWithStorage({ name: "trio", replicas: 3 });
    sts.spec!.template.metadata!.annotations = { ...EVERY_10S, "backup.xlss.io/enabled": "false" };
    sts.spec!.template.spec!.affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "trio" } }, topologyKey: "kubernetes.io/hostname" }] },
    };
    await kube.apps.createNamespacedStatefulSet({ namespace, body: sts });
    const pods = await waitForRunningPods(kube, namespace, "app=trio", 3);
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(3);

    // An empty volume: a successful run without a snapshot (restic refuses empty snapshots).
    const empty = await backupNow(kube, namespace, "data-trio-0", "empty");
    expect(empty.status?.phase).toBe("Completed");
    expect(empty.status?.message).toBe("the volume is empty: nothing to back up, no snapshot taken");
    expect(empty.status?.snapshotId).toBeUndefined();

    for (const p of pods) writeRandomFiles((await boundVolume(kube, namespace, `data-${p.metadata?.name}`)).spec?.local?.path ?? "", "d", 2, 64 * 1024);
    // Enable all three policies at once: three agents find no repository and race to create it.
    await Promise.all(
      pods.map((p) =>
        kube.core.patchNamespacedPod({ name: p.metadata?.name ?? "", namespace, body: { metadata: { annotations: { "backup.xlss.io/enabled": "true" } } } }, mergePatch),
      ),
    );
    const done = await waitFor(
      async () => {
        const all = await listBackups(kube, {}, namespace);
        const withSnapshot = all.items.filter((b) => b.status?.phase === "Completed" && b.status.snapshotId);
        const claims = new Set(withSnapshot.map((b) => b.spec.claimName));
        const failed = all.items.find((b) => b.status?.phase === "Failed");
        if (failed) throw new Error(`backup ${failed.metadata.name} failed: ${failed.status?.message}`);
        return claims.size === 3 ? withSnapshot : undefined;
      },
      { what: "a snapshot of each of the three volumes", timeoutMs: 90_000 },
    );
    const snaps = snapshotsInRepo(cluster, kube, namespace, (await backupSecret(kube)).password ?? "");
    for (const b of done) expect(snaps).toContain(b.status?.snapshotId);
  });
});
