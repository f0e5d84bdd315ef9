import { nextRun, parsePolicy } from "@/lib/xlss/backup/policy";
import type { XlssBackup } from "@/lib/xlss/api/types";

/**
 * How a volume's backups stand against its policy:
 * ok — the last good backup is within its schedule;
 * overdue — the next run should have happened more than a grace period ago (the data at risk grows);
 * never — a policy, but no good backup yet;
 * paused — `backup.xlss.io/enabled: false`;
 * invalid — the pod's policy annotations are wrong (the agent ignores them);
 * none — no policy: the volume is not backed up.
 */
export type BackupHealth = "ok" | "overdue" | "never" | "paused" | "invalid" | "none";

export interface BackupStanding {
  health: BackupHealth;
  schedule?: string;
  /** The newest Completed backup with a snapshot. */
  lastGood?: { name: string; time: string; snapshotId?: string };
  lastGoodAgeSeconds?: number;
  /** When the next scheduled backup is due (ISO). */
  nextDue?: string;
  /** The newest run, whatever its outcome. */
  lastRun?: { name: string; phase?: string; message?: string };
  policyErrors?: string[];
}

/** Completed with a snapshot, newest first by completion time. */
export function goodBackups(backups: readonly XlssBackup[]): XlssBackup[] {
  return backups
    .filter((b) => b.status?.phase === "Completed" && b.status.snapshotId)
    .sort((a, b) => Date.parse(b.status?.completionTime ?? "") - Date.parse(a.status?.completionTime ?? ""));
}

/** The period of a schedule at `from` (one slot to the next). */
function periodMs(schedule: Parameters<typeof nextRun>[0], from: Date): number {
  const first = nextRun(schedule, from, from);
  return nextRun(schedule, first, first).getTime() - first.getTime();
}

/**
 * A claim's standing from its pod's annotations and its XlssBackup records. A run is overdue when
 * its slot passed by more than a quarter of the period (at least a minute): the agent's jitter and
 * a backup's own duration stay within that.
 */
export function backupStanding(annotations: Record<string, string> | undefined, backups: readonly XlssBackup[], now: Date): BackupStanding {
  const good = goodBackups(backups)[0];
  // Custom objects arrive as plain JSON (a string), typed as the core objects' Date.
  const created = (b: XlssBackup) => new Date(b.metadata.creationTimestamp ?? 0).getTime();
  const newest = [...backups].sort((a, b) => created(b) - created(a))[0];
  const base: BackupStanding = {
    health: "none",
    ...(good ? { lastGood: { name: good.metadata.name, time: good.status?.completionTime ?? "", snapshotId: good.status?.snapshotId } } : {}),
    ...(good?.status?.completionTime ? { lastGoodAgeSeconds: Math.max(0, (now.getTime() - Date.parse(good.status.completionTime)) / 1000) } : {}),
    ...(newest ? { lastRun: { name: newest.metadata.name, phase: newest.status?.phase, message: newest.status?.message } } : {}),
  };
  const { policy, errors } = parsePolicy(annotations);
  if (errors.length > 0) return { ...base, health: "invalid", policyErrors: errors };
  if (!policy) return base;
  const schedule = policy.schedule.text;
  if (!policy.enabled) return { ...base, health: "paused", schedule };
  if (!good?.status?.completionTime) return { ...base, health: "never", schedule };
  const last = new Date(good.status.completionTime);
  const due = nextRun(policy.schedule, last, now);
  const grace = Math.max(60_000, periodMs(policy.schedule, last) / 4);
  return { ...base, schedule, nextDue: due.toISOString(), health: now.getTime() > due.getTime() + grace ? "overdue" : "ok" };
}
