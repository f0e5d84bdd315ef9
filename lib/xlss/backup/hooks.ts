/**
 * Backup hooks: commands run inside the pod's container before and after its volumes are backed
 * up (modelled on Velero's backup hooks), e.g. to flush or freeze an application so that the
 * snapshot is consistent, and to thaw it again. Declared in pod annotations next to the policy.
 */

export type HookPhase = "pre" | "post";
export type HookOnError = "Fail" | "Continue";

/** Annotation keys of one phase's hook. */
function keysOf(phase: HookPhase) {
  return {
    /** The command, a JSON array of strings run without a shell: `["/bin/sh", "-c", "sync"]`. */
    command: `backup.xlss.io/${phase}-hook`,
    /** Container to run it in. Default: the pod's first container. */
    container: `backup.xlss.io/${phase}-hook-container`,
    /** `500ms`, `30s`, `5m`, `1h`. Default 30s. */
    timeout: `backup.xlss.io/${phase}-hook-timeout`,
    /** `Fail` (the run fails) or `Continue` (the backup goes on; an Event says the hook failed). Default Fail. */
    onError: `backup.xlss.io/${phase}-hook-on-error`,
  } as const;
}

export const HOOK_ANNOTATIONS = { pre: keysOf("pre"), post: keysOf("post") } as const;
export const HOOK_ANNOTATION_KEYS: readonly string[] = [...Object.values(HOOK_ANNOTATIONS.pre), ...Object.values(HOOK_ANNOTATIONS.post)];

export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

export interface BackupHook {
  phase: HookPhase;
  command: string[];
  /** Unset: the pod's first container. */
  container?: string;
  timeoutMs: number;
  onError: HookOnError;
}

export interface BackupHooks {
  pre?: BackupHook;
  post?: BackupHook;
}

/**
 * The hooks a pod's annotations declare, or the reasons they are invalid, each worded for an Event.
 * Any error means no hooks at all: a backup must not run with half of what its owner asked for.
 */
export function parseHooks(annotations: Record<string, string> | undefined): { hooks: BackupHooks; errors: string[] } {
  const a = annotations ?? {};
  const errors: string[] = [];
  const hooks: BackupHooks = {};
  for (const phase of ["pre", "post"] as const) {
    const hook = parseHook(phase, a, errors);
    if (hook) hooks[phase] = hook;
  }
  return errors.length > 0 ? { hooks: {}, errors } : { hooks, errors };
}

function parseHook(phase: HookPhase, a: Record<string, string>, errors: string[]): BackupHook | undefined {
  const keys = HOOK_ANNOTATIONS[phase];
  const text = a[keys.command]?.trim();
  if (!text) {
    for (const key of [keys.container, keys.timeout, keys.onError]) {
      if (a[key] !== undefined) errors.push(`${key} is set but ${keys.command} is missing`);
    }
    return undefined;
  }
  const command = parseCommand(keys.command, text, errors);
  const container = a[keys.container]?.trim() || undefined;
  if (container !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(container)) {
    errors.push(`${keys.container}: "${container}" is not a container name`);
  }
  const timeoutMs = parseTimeout(keys.timeout, a[keys.timeout]?.trim(), errors);
  const onError = a[keys.onError]?.trim() || "Fail";
  if (onError !== "Fail" && onError !== "Continue") errors.push(`${keys.onError} must be "Fail" or "Continue", got "${onError}"`);
  if (!command || timeoutMs === undefined) return undefined;
  return { phase, command, container, timeoutMs, onError: onError === "Continue" ? "Continue" : "Fail" };
}

/**
 * A JSON array of strings, because the command is exec'd without a shell (as by `kubectl exec`):
 * a plain string would leave it ambiguous whether `sync && touch x` is one program or a shell line.
 */
function parseCommand(key: string, text: string, errors: string[]): string[] | undefined {
  const hint = `write it as a JSON array, e.g. ["/bin/sh", "-c", "sync"]`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    errors.push(`${key}: ${JSON.stringify(text)} is not a JSON array of strings; ${hint}`);
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string") || value[0] === "") {
    errors.push(`${key}: must be a non-empty JSON array of strings with a program first; ${hint}`);
    return undefined;
  }
  return value as string[];
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseTimeout(key: string, text: string | undefined, errors: string[]): number | undefined {
  if (text === undefined || text === "") return DEFAULT_HOOK_TIMEOUT_MS;
  const m = /^(-?)(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) {
    errors.push(`${key}: "${text}" is not a duration like 30s, 5m, 1h`);
    return undefined;
  }
  const ms = Number(m[2]) * UNIT_MS[m[3]!]!;
  if (m[1] === "-" || ms === 0) {
    errors.push(`${key}: must be positive, got ${text}`);
    return undefined;
  }
  return ms;
}
