import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import { podRef, type EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { Waker } from "../../k8s/sleep";
import { registry } from "../../metrics";
import { createBackup, deleteBackup, listBackups, patchBackupStatus } from "../api/client";
import { LABELS, STORAGE_API_VERSION, type XlssBackup, type XlssVolume } from "../api/types";
import { volumeDir } from "../rescuer/volume-dir";
import { runHook } from "./hook-runner";
import { parseHooks, type BackupHook } from "./hooks";
import { jitterMs, nextRun, parsePolicy, type BackupPolicy } from "./policy";
import type { BackupRepositories } from "./repository";
import { ResticError, type BackupSummary, type Restic } from "./restic";

const metrics = {
  lastSuccess: new Gauge({
    name: "xlss_backup_last_success_timestamp_seconds",
    help: "When the newest successful backup of a claim's volume finished (Unix time).",
    labelNames: ["namespace", "claim"] as const,
    registers: [registry],
  }),
  duration: new Histogram({
    name: "xlss_backup_duration_seconds",
    help: "Duration of backup runs by result.",
    labelNames: ["result"] as const,
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  }),
  bytesAdded: new Counter({
    name: "xlss_backup_bytes_added_total",
    help: "Bytes added to the repository by backups (after deduplication).",
    labelNames: ["namespace", "claim"] as const,
    registers: [registry],
  }),
  bytesProcessed: new Counter({
    name: "xlss_backup_bytes_processed_total",
    help: "Bytes read from volumes by backups.",
    labelNames: ["namespace", "claim"] as const,
    registers: [registry],
  }),
  failures: new Counter({
    name: "xlss_backup_failures_total",
    help: "Failed backup runs by cause.",
    labelNames: ["namespace", "claim", "reason"] as const,
    registers: [registry],
  }),
  queue: new Gauge({
    name: "xlss_backup_queue_length",
    help: "Backups due on this node but not started (waiting for a free slot).",
    labelNames: ["node"] as const,
    registers: [registry],
  }),
};

export interface BackupRunnerDeps {
  clients: KubeClients;
  node: string;
  root: string;
  /** Pods bound to this node. */
  pods: Informer<V1Pod>;
  /** This node's volumes. */
  volumes: Informer<XlssVolume>;
  backups: Informer<XlssBackup>;
  repos: BackupRepositories;
  events: EventRecorder;
  /** Backups run at once on this node. */
  concurrency: number;
  log: Logger;
}

/** One volume to back up: a claim of a pod on this node whose volume lives here. */
interface Target {
  namespace: string;
  claim: string;
  pod?: V1Pod;
  volume: XlssVolume;
  policy?: BackupPolicy;
  /** Set for on-demand runs: the request object to report into. */
  request?: XlssBackup;
  due: number;
}

/** What `snapshot` produced: restic's summary and the full ids, or nothing for an empty volume. */
type Snapshot = { summary: BackupSummary; fullId?: string; parent?: string; restic: Restic } | { summary?: undefined };

/** A run failed because of its hooks (invalid, or one failed with on-error Fail). */
class HookFailure extends Error {
  override name = "HookFailure";
  constructor(
    message: string,
    /** The failure-metric reason; a post hook failing after another failure keeps that one's. */
    readonly reason = "hook",
  ) {
    super(message);
  }
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** `xlss_backup_failures_total`'s reason: restic's kind, `hook`, or `other`. */
const reasonOf = (err: unknown): string => (err instanceof ResticError ? err.kind : err instanceof HookFailure ? err.reason : "other");

const keyOf = (namespace: string, claim: string) => `${namespace}/${claim}`;
const backupRef = (b: XlssBackup) => ({ apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: b.metadata });

/**
 * The node agent's backup loop (the case study's two loops and the queue between them). Intake is
 * level-triggered: every round derives the plan from the caches — pods on this node and their
 * `backup.xlss.io/*` annotations, this node's volumes, and the XlssBackup records, whose newest
 * finished run per claim fixes the next due time (so a restarted agent neither forgets nor repeats a
 * run, and a missed slot runs once). The queue is that plan ordered by due time; the loop sleeps
 * until the earliest, or until `poke()` (a pod, volume or record changed), and runs what is due
 * within the per-node concurrency limit.
 */
export class BackupRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly waker = new Waker();

  constructor(private readonly deps: BackupRunnerDeps) {}

  poke(): void {
    this.waker.wake();
  }

  async run(signal: AbortSignal): Promise<void> {
    await this.failInterrupted();
    signal.addEventListener("abort", () => {
      for (const c of this.running.values()) c.abort();
    });
    while (!signal.aborted) {
      const now = Date.now();
      const queue = this.plan(now).sort((a, b) => a.due - b.due);
      const due = queue.filter((t) => t.due <= now && !this.running.has(keyOf(t.namespace, t.claim)));
      for (const t of due.splice(0, Math.max(0, this.deps.concurrency - this.running.size))) this.start(t);
      metrics.queue.set({ node: this.deps.node }, due.length);
      const next = queue.find((t) => t.due > now)?.due ?? now + 60_000;
      this.deps.log.debug({ planned: queue.length, running: this.running.size, waiting: due.length, nextInMs: next - now }, "backup queue");
      await this.waker.sleep(Math.min(Math.max(next - now, 50), 60_000), signal);
    }
  }

  /** Records this node left Running in a previous life (the agent was killed mid-backup). */
  private async failInterrupted(): Promise<void> {
    for (const b of this.deps.backups.list()) {
      if (b.status?.phase === "Running" && b.status.node === this.deps.node) {
        await patchBackupStatus(this.deps.clients, b.metadata.namespace, b.metadata.name, {
          phase: "Failed",
          completionTime: new Date().toISOString(),
          message: "interrupted: the node agent restarted during the backup",
        });
      }
    }
  }

  private plan(now: number): Target[] {
    const { node } = this.deps;
    const volumes = this.deps.volumes.list().filter((v) => v.spec.nodeName === node && v.status?.phase === "Ready" && !v.metadata.deletionTimestamp);
    const volumeOf = (namespace: string, claim: string) =>
      volumes.find((v) => v.spec.claimRef.namespace === namespace && v.spec.claimRef.name === claim);
    const targets: Target[] = [];

    for (const pod of this.deps.pods.list()) {
      if (pod.spec?.nodeName !== node || pod.metadata?.deletionTimestamp || pod.status?.phase !== "Running") continue;
      const { policy, errors } = parsePolicy(pod.metadata?.annotations);
      if (errors.length > 0) {
        void this.deps.events.record(podRef(pod), { type: "Warning", reason: "InvalidBackupPolicy", message: `backup policy ignored: ${errors.join("; ")}` });
      }
      if (!policy?.enabled) continue;
      const namespace = pod.metadata?.namespace ?? "";
      for (const v of pod.spec?.volumes ?? []) {
        const claim = v.persistentVolumeClaim?.claimName;
        const volume = claim ? volumeOf(namespace, claim) : undefined;
        if (!claim || !volume) continue;
        targets.push({ namespace, claim, pod, volume, policy, due: this.dueTime(namespace, claim, policy, now) });
      }
    }
    for (const request of this.deps.backups.list()) {
      if (request.spec.trigger !== "Manual" || request.status?.phase) continue;
      const volume = volumeOf(request.metadata.namespace, request.spec.claimName);
      if (!volume) continue;
      const pod = this.deps.pods
        .list()
        .find((p) => p.metadata?.namespace === request.metadata.namespace && p.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === request.spec.claimName));
      targets.push({ namespace: request.metadata.namespace, claim: request.spec.claimName, pod, volume, request, due: 0 });
    }
    return targets;
  }

  /**
   * When a claim's next scheduled backup is due: after the newest finished run, the next slot (plus a
   * stable jitter); after consecutive failures, a backoff of 30 s doubling, capped at the next slot.
   */
  private dueTime(namespace: string, claim: string, policy: BackupPolicy, now: number): number {
    const runs = this.deps.backups
      .list()
      .filter((b) => b.metadata.namespace === namespace && b.spec.claimName === claim && b.status?.completionTime && b.status.phase !== "Running")
      .sort((a, b) => (b.status?.completionTime ?? "").localeCompare(a.status?.completionTime ?? ""));
    const last = runs[0]?.status?.completionTime ? new Date(runs[0].status.completionTime) : undefined;
    const slot = nextRun(policy.schedule, last, new Date(now)).getTime();
    if (!last) return slot;
    // The jitter derives from the claim and its last run, so every round of planning agrees on it.
    const seed = createHash("sha256").update(`${namespace}/${claim}@${last.toISOString()}`).digest().readUInt32BE(0) / 2 ** 32;
    const scheduled = slot + jitterMs(policy.schedule, () => seed);
    const failures = runs.findIndex((r) => r.status?.phase !== "Failed");
    const consecutiveFailures = failures === -1 ? runs.length : failures;
    if (consecutiveFailures === 0) return scheduled;
    return Math.min(scheduled, last.getTime() + Math.min(30_000 * 2 ** (consecutiveFailures - 1), 3_600_000));
  }

  private start(target: Target): void {
    const key = keyOf(target.namespace, target.claim);
    const abort = new AbortController();
    this.running.set(key, abort);
    void this.backup(target, abort.signal)
      .catch((err: unknown) => this.deps.log.error({ claim: key, err: err instanceof Error ? err.message : String(err) }, "backup bookkeeping failed"))
      .finally(() => {
        this.running.delete(key);
        this.poke();
      });
  }

  /**
   * One run: the pre hook (if the pod declares one), the snapshot, the post hook — which runs
   * after every attempt, also when the pre hook or restic failed, so that whatever a pre hook did
   * (a freeze, a lock) is undone — then the record, metrics and Events. A hook that
   * fails with on-error Fail fails the run (a failed pre hook also skips the snapshot); with
   * Continue the run goes on and a BackupHookFailed Event says what happened.
   */
  private async backup(t: Target, signal: AbortSignal): Promise<void> {
    const { clients, node } = this.deps;
    const started = new Date();
    const podName = t.pod?.metadata?.name;
    let record = t.request;
    if (!record) {
      const stamp = started.toISOString().replace(/[-:T]/g, "").slice(0, 14);
      record = await createBackup(clients, {
        apiVersion: STORAGE_API_VERSION,
        kind: "XlssBackup",
        metadata: { name: `${t.claim.slice(0, 230)}-${stamp}`, namespace: t.namespace, labels: { [LABELS.claimName]: t.claim, [LABELS.node]: node } },
        spec: { claimName: t.claim, trigger: "Schedule" },
      });
    }
    const { name, namespace } = record.metadata;
    await patchBackupStatus(clients, namespace, name, { phase: "Running", node, volumeName: t.volume.metadata.name, pod: podName, startTime: started.toISOString() });
    const log = this.deps.log.child({ claim: keyOf(t.namespace, t.claim), backup: name });
    const tags = { namespace: t.namespace, claim: t.claim };
    // Read at run time from the pod the run is for: on-demand runs use the pod's hooks as well.
    const { hooks, errors: hookErrors } = parseHooks(t.pod?.metadata?.annotations);
    const ignored: string[] = [];
    let failure: unknown;
    let taken: Snapshot | undefined;
    try {
      if (hookErrors.length > 0) throw new HookFailure(`backup hooks are invalid: ${hookErrors.join("; ")}`);
      if (hooks.pre) await this.hook(t, hooks.pre, signal, ignored, log);
      taken = await this.snapshot(t, signal);
    } catch (err) {
      failure = err;
    }
    if (hooks.post && hookErrors.length === 0) {
      try {
        await this.hook(t, hooks.post, signal, ignored, log);
      } catch (err) {
        failure = failure === undefined ? err : new HookFailure(`${errorMessage(failure)}; ${errorMessage(err)}`, reasonOf(failure));
      }
    }
    const seconds = () => (Date.now() - started.getTime()) / 1000;
    const notes = ignored.length > 0 ? `${ignored.join("; ")} (on-error Continue: ignored)` : "";

    if (failure !== undefined) {
      if (failure instanceof ResticError && failure.kind === "no-repository") this.deps.repos.forget(t.namespace);
      const reason = reasonOf(failure);
      // A snapshot taken before a failing post hook stays in the repository; the record says so.
      const message = [taken?.summary ? `snapshot ${taken.summary.snapshot_id.slice(0, 8)} was taken, but ${errorMessage(failure)}` : errorMessage(failure), notes]
        .filter(Boolean)
        .join("; ");
      await patchBackupStatus(clients, namespace, name, {
        phase: "Failed",
        ...(taken?.summary ? this.snapshotFields(taken) : {}),
        completionTime: new Date().toISOString(),
        durationSeconds: seconds(),
        message,
      });
      metrics.duration.observe({ result: "failed" }, seconds());
      metrics.failures.inc({ ...tags, reason });
      await this.deps.events.record(t.pod ? podRef(t.pod) : backupRef(record), {
        type: "Warning",
        reason: "BackupFailed",
        message: `backup of claim ${t.claim} failed: ${message}`,
      });
      log.warn({ err: message, reason }, "backup failed");
      return;
    }

    if (!taken?.summary) {
      // restic refuses an empty snapshot; an empty volume has nothing to lose, so the run succeeds.
      await patchBackupStatus(clients, namespace, name, {
        phase: "Completed",
        completionTime: new Date().toISOString(),
        durationSeconds: seconds(),
        bytesProcessed: 0,
        totalFiles: 0,
        message: ["the volume is empty: nothing to back up, no snapshot taken", notes].filter(Boolean).join("; "),
      });
      metrics.lastSuccess.set(tags, Date.now() / 1000);
      // Of such snapshot-less runs only the newest stays as history.
      const older = (await listBackups(clients, {}, namespace)).items.filter(
        (b) => b.spec.claimName === t.claim && b.metadata.name !== name && b.status?.phase === "Completed" && !b.status.snapshotId,
      );
      for (const b of older) await deleteBackup(clients, namespace, b.metadata.name);
      return;
    }
    const { summary } = taken;
    await patchBackupStatus(clients, namespace, name, {
      phase: "Completed",
      ...this.snapshotFields(taken),
      completionTime: new Date().toISOString(),
      durationSeconds: seconds(),
      message: notes,
    });
    metrics.duration.observe({ result: "completed" }, seconds());
    metrics.lastSuccess.set(tags, Date.now() / 1000);
    metrics.bytesAdded.inc(tags, summary.data_added);
    metrics.bytesProcessed.inc(tags, summary.total_bytes_processed);
    log.info({ snapshot: summary.snapshot_id, bytesAdded: summary.data_added, seconds: seconds() }, "backup completed");
    if (t.policy) {
      // The snapshot is taken: a retention that cannot run now (another node's prune) waits for the next run.
      await this.applyRetention(t, taken.restic).catch((err: unknown) =>
        log.warn({ err: err instanceof Error ? err.message : String(err) }, "retention deferred to the next run"),
      );
    }
  }

  /** restic backup of the volume's directory; no summary when the volume is empty (nothing to snapshot). */
  private async snapshot(t: Target, signal: AbortSignal): Promise<Snapshot> {
    const dir = volumeDir(this.deps.root, t.volume.metadata.name);
    if ((await fs.readdir(dir)).length === 0) return {};
    const { restic } = await this.deps.repos.forNamespace(t.namespace);
    const tags = { namespace: t.namespace, claim: t.claim };
    // restic picks the parent itself (same host and path: the same node and volume); after a volume
    // moved node it scans in full, and deduplication still keeps the upload incremental.
    const summary = await restic.backup(dir, { tags: { ...tags, pod: t.pod?.metadata?.name ?? "none", node: this.deps.node }, host: this.deps.node }, signal);
    const snap = (await restic.snapshots(tags)).find((s) => s.id.startsWith(summary.snapshot_id));
    return { summary, fullId: snap?.id, parent: snap?.parent, restic };
  }

  private snapshotFields(taken: Extract<Snapshot, { restic: Restic }>) {
    const s = taken.summary;
    return {
      snapshotId: taken.fullId ?? s.snapshot_id,
      snapshotShortId: s.snapshot_id.slice(0, 8),
      parentSnapshotId: taken.parent,
      bytesAdded: s.data_added,
      bytesProcessed: s.total_bytes_processed,
      filesNew: s.files_new,
      filesChanged: s.files_changed,
      totalFiles: s.total_files_processed,
    };
  }

  /**
   * Runs a hook in the target's pod. A failure with on-error Fail throws a HookFailure; with
   * Continue it is noted in `ignored` (for the record's message) and reported by an Event.
   */
  private async hook(t: Target, hook: BackupHook, signal: AbortSignal, ignored: string[], log: Logger): Promise<void> {
    if (!t.pod) throw new HookFailure(`${hook.phase} hook: no pod uses claim ${t.claim} to run it in`);
    const outcome = await runHook(this.deps.clients.kc, t.pod, hook, signal);
    if (outcome.ok) {
      log.info({ phase: hook.phase, container: outcome.container }, "backup hook succeeded");
      return;
    }
    log.warn({ phase: hook.phase, container: outcome.container, exitCode: outcome.exitCode, onError: hook.onError, err: outcome.message }, "backup hook failed");
    if (hook.onError === "Fail") throw new HookFailure(outcome.message);
    ignored.push(outcome.message);
    await this.deps.events.record(podRef(t.pod), {
      type: "Warning",
      reason: "BackupHookFailed",
      message: `${outcome.message}; the backup of claim ${t.claim} goes on (on-error Continue)`,
    });
  }

  /**
   * `restic forget --prune` by the policy, then the records follow the repository: a completed
   * record whose snapshot is gone (or that never had one) is deleted; of failed records the newest
   * five stay as history.
   */
  private async applyRetention(t: Target, restic: Restic): Promise<void> {
    const tags = { namespace: t.namespace, claim: t.claim };
    await restic.forget(tags, t.policy?.retention ?? {});
    const kept = new Set((await restic.snapshots(tags)).map((s) => s.id));
    const records = (await listBackups(this.deps.clients, {}, t.namespace)).items
      .filter((b) => b.spec.claimName === t.claim)
      .sort((a, b) => (b.status?.completionTime ?? "").localeCompare(a.status?.completionTime ?? ""));
    const failed = records.filter((b) => b.status?.phase === "Failed");
    for (const b of records) {
      // Records of runs that found the volume empty have no snapshot: the new snapshot supersedes them.
      const gone = b.status?.phase === "Completed" && !(b.status.snapshotId && kept.has(b.status.snapshotId));
      if (gone || failed.indexOf(b) >= 5) await deleteBackup(this.deps.clients, b.metadata.namespace, b.metadata.name);
    }
  }
}
