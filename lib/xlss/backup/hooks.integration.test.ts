import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect } from "vitest";
import { mergePatch, type KubeClients } from "../../k8s/client";
import { waitFor } from "../../k8s/wait";
import type { ClusterState } from "../../../local-cluster/cluster";
import { rescuerName } from "../../../local-cluster/components";
import { writeRandomFiles } from "../../../test/files";
import { kubeTest } from "../../../test/kube";
import { boundVolume, eventsAbout, eventsOnceRecorded, statefulSetWithStorage, waitForRunningPods } from "../../../test/workloads";
import { createBackup, listBackups } from "../api/client";
import { BACKUP_SECRET, STORAGE_API_VERSION, SYSTEM_NAMESPACE, type XlssBackup } from "../api/types";
import { execInPod } from "./pod-exec";

/**
 * Hooks run for real: through the API server's pods/exec to KWOK's kubelet server, which runs them
 * on this machine with the pod's volume folder as working directory (local-cluster/kwok-exec.ts,
 * exec-workdirs.ts). So `sh -c '… > file'` in a hook writes into the volume being backed up.
 */

/** A one-replica StatefulSet with pod annotations; returns the pod and its volume's folder once exec lands there. */
async function workload(kube: KubeClients, namespace: string, name: string, annotations: Record<string, string>) {
  const sts = statefulSetWithStorage({ name, replicas: 1 });
  sts.spec!.template.metadata!.annotations = annotations;
  await kube.apps.createNamespacedStatefulSet({ namespace, body: sts });
  const [pod] = await waitForRunningPods(kube, namespace, `app=${name}`, 1);
  const dir = (await boundVolume(kube, namespace, `data-${name}-0`)).spec?.local?.path ?? "";
  // Until the launcher has given the pod its Exec (and KWOK has seen it), commands run elsewhere.
  await waitFor(
    async () =>
      (await execInPod(kube.kc, { namespace, pod: `${name}-0`, container: "app", command: ["/bin/sh", "-c", `test "$(pwd)" = "${dir}"`], timeoutMs: 5000 }))
        .exitCode === 0,
    { what: `exec in ${name}-0 working in its volume` },
  );
  return { pod: pod!, dir };
}

async function backupNow(kube: KubeClients, namespace: string, claim: string, name: string): Promise<XlssBackup> {
  await createBackup(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name, namespace }, spec: { claimName: claim, trigger: "Manual" } });
  return waitFor(
    async () => {
      const b = (await listBackups(kube, {}, namespace)).items.find((x) => x.metadata.name === name);
      return b?.status?.phase === "Completed" || b?.status?.phase === "Failed" ? b : undefined;
    },
    { what: `backup ${name} finished`, timeoutMs: 120_000 },
  );
}

/** A file as stored in a snapshot (restic dump), read with the installation's repository password. */
async function fileInSnapshot(cluster: ClusterState, kube: KubeClients, namespace: string, snapshot: string, file: string): Promise<string> {
  const secret = await kube.core.readNamespacedSecret({ name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE });
  const pwFile = path.join(cluster.dir, `pw-${namespace}`);
  fs.writeFileSync(pwFile, Buffer.from(secret.data?.password ?? "", "base64"), { mode: 0o600 });
  try {
    return execFileSync("restic", ["-r", path.join(cluster.dir, "backups", namespace), "--password-file", pwFile, "--no-lock", "dump", snapshot, `/${file}`]).toString();
  } finally {
    fs.rmSync(pwFile);
  }
}

const sh = (script: string) => JSON.stringify(["/bin/sh", "-c", script]);

describe("backup hooks run in the pod's container through pods/exec", () => {
  kubeTest("the pre hook runs before the snapshot and the post hook after it, on demand and on schedule", async ({ kube, namespace, cluster }) => {
    const { dir } = await workload(kube, namespace, "hooked", {
      "backup.xlss.io/pre-hook": sh("echo pre >> hooks.log; date > flushed-by-pre-hook"),
      "backup.xlss.io/post-hook": sh("echo post >> hooks.log"),
    });
    writeRandomFiles(dir, "segments", 3, 64 * 1024);

    const b = await backupNow(kube, namespace, "data-hooked-0", "now");
    expect(b.status?.message).toBe("");
    expect(b.status?.phase).toBe("Completed");
    // On disk both hooks ran, pre first; the snapshot holds the pre hook's work and not the post hook's.
    expect(fs.readFileSync(path.join(dir, "hooks.log"), "utf8")).toBe("pre\npost\n");
    const snapshot = b.status?.snapshotId ?? "";
    expect(await fileInSnapshot(cluster, kube, namespace, snapshot, "hooks.log")).toBe("pre\n");
    expect(await fileInSnapshot(cluster, kube, namespace, snapshot, "flushed-by-pre-hook")).toBe(fs.readFileSync(path.join(dir, "flushed-by-pre-hook"), "utf8"));

    // The same hooks around scheduled runs.
    await kube.core.patchNamespacedPod(
      { name: "hooked-0", namespace, body: { metadata: { annotations: { "backup.xlss.io/schedule": "@every 10s" } } } },
      mergePatch,
    );
    await waitFor(
      async () => (await listBackups(kube, {}, namespace)).items.find((x) => x.spec.trigger === "Schedule" && x.status?.phase === "Completed"),
      { what: "a scheduled backup", timeoutMs: 60_000 },
    );
    await kube.core.patchNamespacedPod({ name: "hooked-0", namespace, body: { metadata: { annotations: { "backup.xlss.io/enabled": "false" } } } }, mergePatch);
    expect(fs.readFileSync(path.join(dir, "hooks.log"), "utf8")).toMatch(/^pre\npost\npre\npost\n/);
  });

  kubeTest("a failing pre hook: Fail fails the run with its exit code, stderr, Event and metric; the post hook still runs; Continue backs up", async ({ kube, namespace, cluster }) => {
    const { pod, dir } = await workload(kube, namespace, "flaky", {
      "backup.xlss.io/pre-hook": sh("echo starting; echo cannot flush the log >&2; exit 3"),
      "backup.xlss.io/post-hook": sh("echo post >> post.log"),
    });
    writeRandomFiles(dir, "d", 2, 16 * 1024);

    const failed = await backupNow(kube, namespace, "data-flaky-0", "fail");
    expect(failed.status?.phase).toBe("Failed");
    expect(failed.status?.message).toBe("pre hook in container app failed with exit code 3; stderr: cannot flush the log");
    expect(failed.status?.snapshotId).toBeUndefined();
    expect(fs.readFileSync(path.join(dir, "post.log"), "utf8")).toBe("post\n");
    const [event] = await eventsOnceRecorded(kube, namespace, pod.metadata?.name ?? "", "BackupFailed");
    expect(event?.type).toBe("Warning");
    expect(event?.message).toMatch(/backup of claim data-flaky-0 failed: pre hook in container app failed with exit code 3/);
    const agent = cluster.processes.find((p) => p.name === rescuerName(pod.spec?.nodeName ?? ""));
    const metrics = await (await fetch(`http://127.0.0.1:${agent?.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`xlss_backup_failures_total\\{namespace="${namespace}",claim="data-flaky-0",reason="hook"\\} 1`));

    await kube.core.patchNamespacedPod(
      { name: "flaky-0", namespace, body: { metadata: { annotations: { "backup.xlss.io/pre-hook-on-error": "Continue" } } } },
      mergePatch,
    );
    await waitFor(async () => (await kube.core.readNamespacedPod({ name: "flaky-0", namespace })).metadata?.annotations?.["backup.xlss.io/pre-hook-on-error"], {
      what: "annotation",
    });
    const continued = await backupNow(kube, namespace, "data-flaky-0", "continue");
    expect(continued.status?.phase).toBe("Completed");
    expect(continued.status?.snapshotId).toBeTruthy();
    expect(continued.status?.message).toBe("pre hook in container app failed with exit code 3; stderr: cannot flush the log (on-error Continue: ignored)");
    const [hookEvent] = await eventsOnceRecorded(kube, namespace, "flaky-0", "BackupHookFailed");
    expect(hookEvent?.type).toBe("Warning");
    expect(hookEvent?.message).toMatch(/exit code 3.*goes on \(on-error Continue\)/);
    expect(fs.readFileSync(path.join(dir, "post.log"), "utf8")).toBe("post\npost\n");
  });

  kubeTest("a hook past its timeout fails the run; a bad hook annotation is an InvalidBackupPolicy Event", async ({ kube, namespace }) => {
    await workload(kube, namespace, "slow", {
      "backup.xlss.io/pre-hook": JSON.stringify(["sleep", "20"]),
      "backup.xlss.io/pre-hook-timeout": "1s",
    });
    const slow = await backupNow(kube, namespace, "data-slow-0", "slow");
    expect(slow.status?.phase).toBe("Failed");
    expect(slow.status?.message).toMatch(/^pre hook in container app did not finish within 1s \(timeout; it may still be running there\)/);
    expect(slow.status?.durationSeconds).toBeLessThan(10);

    await kube.core.patchNamespacedPod(
      { name: "slow-0", namespace, body: { metadata: { annotations: { "backup.xlss.io/schedule": "@every 10s", "backup.xlss.io/pre-hook": "sync" } } } },
      mergePatch,
    );
    const event = await waitFor(async () => (await eventsAbout(kube, namespace, "slow-0", "InvalidBackupPolicy"))[0], { what: "InvalidBackupPolicy event" });
    expect(event.message).toMatch(/pre-hook: "sync" is not a JSON array of strings/);
    // An on-demand run refuses to back up without the hooks the pod asks for.
    const refused = await backupNow(kube, namespace, "data-slow-0", "bad-hook");
    expect(refused.status?.phase).toBe("Failed");
    expect(refused.status?.message).toMatch(/^backup hooks are invalid: .*pre-hook: "sync" is not a JSON array/);
  });
});
