import type { KubeConfig, V1Pod } from "@kubernetes/client-node";
import { Counter, Histogram } from "prom-client";
import { registry } from "../../metrics";
import type { BackupHook } from "./hooks";
import { execInPod, PodExecError } from "./pod-exec";

const metrics = {
  runs: new Counter({
    name: "xlss_backup_hook_runs_total",
    help: "Backup hook runs by phase (pre, post) and result (succeeded, failed, timed-out, not-run).",
    labelNames: ["phase", "result"] as const,
    registers: [registry],
  }),
  duration: new Histogram({
    name: "xlss_backup_hook_duration_seconds",
    help: "Duration of backup hook runs by phase.",
    labelNames: ["phase"] as const,
    buckets: [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [registry],
  }),
};

/** How one hook run went, in words fit for a record's message and an Event (exit code, stderr's tail; never the command or env). */
export interface HookOutcome {
  ok: boolean;
  container: string;
  exitCode?: number;
  /** e.g. `pre hook in container app failed with exit code 3: <stderr tail>`; empty when ok. */
  message: string;
}

/**
 * Runs one hook in the pod's container through `pods/exec`: the hook's container or the pod's
 * first. A non-zero exit, a timeout or a command that could not be started is a failed outcome,
 * never a throw; what to do about it is the caller's (the hook's on-error).
 */
export async function runHook(kc: KubeConfig, pod: V1Pod, hook: BackupHook, signal: AbortSignal): Promise<HookOutcome> {
  const containers = (pod.spec?.containers ?? []).map((c) => c.name);
  const container = hook.container ?? containers[0] ?? "";
  const what = `${hook.phase} hook in container ${container}`;
  if (!containers.includes(container)) {
    metrics.runs.inc({ phase: hook.phase, result: "not-run" });
    return { ok: false, container, message: `${hook.phase} hook: pod ${pod.metadata?.name} has no container "${container}" (it has ${containers.join(", ") || "none"})` };
  }
  const end = metrics.duration.startTimer({ phase: hook.phase });
  try {
    const { exitCode, stderrTail } = await execInPod(kc, {
      namespace: pod.metadata?.namespace ?? "",
      pod: pod.metadata?.name ?? "",
      container,
      command: hook.command,
      timeoutMs: hook.timeoutMs,
      signal,
    });
    metrics.runs.inc({ phase: hook.phase, result: exitCode === 0 ? "succeeded" : "failed" });
    if (exitCode === 0) return { ok: true, container, exitCode, message: "" };
    const stderr = tail(stderrTail);
    return { ok: false, container, exitCode, message: `${what} failed with exit code ${exitCode}${stderr ? `; stderr: ${stderr}` : ""}` };
  } catch (err) {
    const timedOut = err instanceof PodExecError && err.timedOut;
    metrics.runs.inc({ phase: hook.phase, result: timedOut ? "timed-out" : "not-run" });
    const why = err instanceof Error ? err.message : String(err);
    return { ok: false, container, message: timedOut ? `${what} ${why} (timeout; it may still be running there)` : `${what} could not run: ${why}` };
  } finally {
    end();
  }
}

/** The last few lines of a hook's stderr on one line, at most 400 characters. */
export function tail(text: string, lines = 5, chars = 400): string {
  const kept = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(" | ");
  return kept.length > chars ? `…${kept.slice(kept.length - chars)}` : kept;
}
