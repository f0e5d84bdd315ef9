import { CronExpressionParser } from "cron-parser";
import { HOOK_ANNOTATION_KEYS, parseHooks } from "./hooks";
import type { Retention } from "./restic";

/** Pod annotations that carry a backup policy; operators set them from a resource's `spec.backup`. */
export const BACKUP_ANNOTATIONS = {
  /** `@every 30s` / `@every 6h` (an interval), or a five-field cron expression in UTC (`0 3 * * *`: daily at 03:00). */
  schedule: "backup.xlss.io/schedule",
  /** `last=7,daily=7,weekly=4` (any subset, each a positive integer). Default `last=7`. */
  retention: "backup.xlss.io/retention",
  /** `false` pauses backups without losing the policy. Default `true`. */
  enabled: "backup.xlss.io/enabled",
} as const;

const PREFIX = "backup.xlss.io/";
const POLICY_KEYS = new Set<string>(Object.values(BACKUP_ANNOTATIONS));
/** The policy's keys and the hooks' (hooks.ts), which belong to the same policy. */
const KNOWN = new Set<string>([...POLICY_KEYS, ...HOOK_ANNOTATION_KEYS]);

export type Schedule = { kind: "interval"; ms: number; text: string } | { kind: "cron"; expr: string; text: string };

export interface BackupPolicy {
  schedule: Schedule;
  retention: Retention;
  enabled: boolean;
}

/**
 * The pod's backup policy, or the reasons it is invalid. A pod without a schedule has no policy and
 * no errors. Any error disables the whole policy (never half of one), and each is worded for an Event.
 * Hooks are validated here too (a bad hook invalidates the policy); the runner reads them with
 * `parseHooks` for every run, scheduled or on demand.
 */
export function parsePolicy(annotations: Record<string, string> | undefined): { policy?: BackupPolicy; errors: string[] } {
  const a = annotations ?? {};
  const errors: string[] = [];
  for (const key of Object.keys(a)) {
    if (key.startsWith(PREFIX) && !KNOWN.has(key)) {
      errors.push(`unknown annotation ${key} (known: ${[...KNOWN].join(", ")})`);
    }
  }
  errors.push(...parseHooks(a).errors);
  const scheduleText = a[BACKUP_ANNOTATIONS.schedule]?.trim();
  if (!scheduleText) {
    // Retention or enabled without a schedule is a policy someone meant to write: say what is missing.
    // Hooks alone are not: they serve on-demand backups ("back up now") of a pod without a schedule.
    if (Object.keys(a).some((k) => POLICY_KEYS.has(k))) errors.push(`${BACKUP_ANNOTATIONS.schedule} is missing`);
    return { errors };
  }
  const schedule = parseSchedule(scheduleText, errors);
  const retention = parseRetention(a[BACKUP_ANNOTATIONS.retention], errors);
  const enabledText = a[BACKUP_ANNOTATIONS.enabled]?.trim() ?? "true";
  if (enabledText !== "true" && enabledText !== "false") errors.push(`${BACKUP_ANNOTATIONS.enabled} must be "true" or "false", got "${enabledText}"`);
  if (errors.length > 0 || !schedule) return { errors };
  return { policy: { schedule, retention, enabled: enabledText === "true" }, errors };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseSchedule(text: string, errors: string[]): Schedule | undefined {
  const every = /^@every\s+(\d+)(s|m|h|d)$/.exec(text);
  if (every) {
    const ms = Number(every[1]) * UNIT_MS[every[2]!]!;
    if (ms < 10_000) {
      errors.push(`${BACKUP_ANNOTATIONS.schedule}: interval ${text} is shorter than the 10s minimum`);
      return undefined;
    }
    return { kind: "interval", ms, text };
  }
  if (text.startsWith("@every")) {
    errors.push(`${BACKUP_ANNOTATIONS.schedule}: "${text}" is not an interval like "@every 30s", "@every 6h"`);
    return undefined;
  }
  if (text.split(/\s+/).length !== 5) {
    errors.push(`${BACKUP_ANNOTATIONS.schedule}: "${text}" is neither "@every <n><s|m|h|d>" nor a five-field cron expression`);
    return undefined;
  }
  try {
    CronExpressionParser.parse(text, { tz: "UTC", strict: false });
    return { kind: "cron", expr: text, text };
  } catch (err) {
    errors.push(`${BACKUP_ANNOTATIONS.schedule}: invalid cron expression "${text}": ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function parseRetention(text: string | undefined, errors: string[]): Retention {
  if (text === undefined || text.trim() === "") return { last: 7 };
  const retention: Retention = {};
  for (const part of text.split(",")) {
    const m = /^\s*(last|daily|weekly)\s*=\s*(-?\d+)\s*$/.exec(part);
    if (!m) {
      errors.push(`${BACKUP_ANNOTATIONS.retention}: "${part.trim()}" is not one of last=N, daily=N, weekly=N`);
      continue;
    }
    const n = Number(m[2]);
    if (n < 1) errors.push(`${BACKUP_ANNOTATIONS.retention}: ${m[1]} must be at least 1, got ${n}`);
    retention[m[1] as keyof Retention] = n;
  }
  return retention;
}

/**
 * When the next backup is due: with no run yet, now; after a run (or a failure) at `last`, the first
 * slot of the schedule after it. That slot may lie in the past (the agent was down): it is then due at
 * once, and since the following slot is computed from that new run, the missed ones are run once in
 * all, not replayed one by one.
 */
export function nextRun(schedule: Schedule, last: Date | undefined, now: Date): Date {
  if (!last) return now;
  return schedule.kind === "interval"
    ? new Date(last.getTime() + schedule.ms)
    : CronExpressionParser.parse(schedule.expr, { tz: "UTC", currentDate: last }).next().toDate();
}

/** Up to 10% of the schedule's period (at most 60 s) of random delay, so nodes do not all start at once. */
export function jitterMs(schedule: Schedule, random: () => number = Math.random): number {
  const period =
    schedule.kind === "interval"
      ? schedule.ms
      : (() => {
          const it = CronExpressionParser.parse(schedule.expr, { tz: "UTC" });
          const a = it.next().getTime();
          return it.next().getTime() - a;
        })();
  return Math.floor(random() * Math.min(period * 0.1, 60_000));
}
