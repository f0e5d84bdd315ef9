import { spawn } from "node:child_process";
import pRetry from "p-retry";
import { z } from "zod";
import { parseJsonOrUndefined } from "../../json";

/** Where a restic repository is and how to open it. */
export interface ResticRepository {
  /** A path (`/mnt/backups/team-a`, NFS in production) or `s3:https://host/bucket/prefix`. */
  repository: string;
  /** File holding the repository password (mode 0600); never passed on a command line or logged. */
  passwordFile: string;
  /** Extra environment, e.g. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for S3. */
  env?: Record<string, string>;
  /** restic's local cache folder. */
  cacheDir?: string;
}

/** A failure restic reported, with the message a person should read. */
export class ResticError extends Error {
  override name = "ResticError";
  constructor(
    message: string,
    /** Coarse cause, for metrics and retry decisions. */
    readonly kind: "wrong-password" | "no-repository" | "unreachable" | "disk-full" | "locked" | "aborted" | "other",
    readonly stderr: string,
  ) {
    super(message);
  }
}

// restic's --json output differs between versions (0.14 in Debian bookworm, newer in images), so
// only the fields used are required and the rest pass through.
const backupSummary = z
  .object({
    message_type: z.literal("summary"),
    snapshot_id: z.string(),
    files_new: z.number().default(0),
    files_changed: z.number().default(0),
    total_files_processed: z.number().default(0),
    data_added: z.number().default(0),
    total_bytes_processed: z.number().default(0),
    total_duration: z.number().default(0),
  })
  .loose();
export type BackupSummary = z.infer<typeof backupSummary>;

const snapshot = z
  .object({
    id: z.string(),
    short_id: z.string().optional(),
    time: z.string(),
    paths: z.array(z.string()).default([]),
    hostname: z.string().optional(),
    tags: z.array(z.string()).nullish(),
    parent: z.string().optional(),
  })
  .loose();
export type Snapshot = z.infer<typeof snapshot>;

const restoreSize = z.object({ total_size: z.number(), total_file_count: z.number() }).loose();

/** Retention, as restic's --keep-* flags; unset means "not a criterion". */
export interface Retention {
  last?: number;
  daily?: number;
  weekly?: number;
}

/** Tags a snapshot carries; a volume's backups are found by namespace + claim. */
export type Tags = Record<string, string>;
const tagArgs = (tags: Tags) => ["--tag", Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(",")];

/**
 * restic driven as a child process with `--json` output: encrypted, deduplicated, incremental
 * snapshots. Each call is one restic run; an abort signal interrupts it with SIGINT (restic then
 * removes its lock) and SIGKILL after 10 s.
 */
export class Restic {
  constructor(
    private readonly repo: ResticRepository,
    private readonly bin = "restic",
  ) {}

  /** Whether a repository exists (and opens with the password: a wrong one throws). */
  async exists(): Promise<boolean> {
    try {
      await this.run(["cat", "config"]);
      return true;
    } catch (err) {
      if (err instanceof ResticError && err.kind === "no-repository") return false;
      throw err;
    }
  }

  /** Creates the repository; callers make sure only one process does so at a time. */
  async init(): Promise<void> {
    await this.run(["init"]);
  }

  /** Backs up the contents of `dir` (stored relative to it, so a restore lands directly in its target). */
  async backup(dir: string, opts: { tags: Tags; host: string }, signal?: AbortSignal): Promise<BackupSummary> {
    const args = ["backup", "--json", "--host", opts.host, ...tagArgs(opts.tags), "."];
    const { stdout } = await this.run(args, { cwd: dir, signal });
    for (const line of stdout.split("\n").reverse()) {
      const parsed = backupSummary.safeParse(parseJsonOrUndefined(line));
      if (parsed.success) return parsed.data;
    }
    throw new ResticError("restic backup finished without a summary", "other", stdout.slice(-2000));
  }

  /** Snapshots carrying all `tags`, oldest first. */
  async snapshots(tags: Tags): Promise<Snapshot[]> {
    const { stdout } = await this.run(["snapshots", "--json", ...tagArgs(tags)]);
    const list = z.array(snapshot).parse(parseJsonOrUndefined(stdout) ?? []);
    return list.sort((a, b) => a.time.localeCompare(b.time));
  }

  /** Size and file count a restore of `id` will write. */
  async restoreSize(id: string): Promise<{ bytes: number; files: number }> {
    const { stdout } = await this.run(["stats", "--json", "--mode", "restore-size", id]);
    const s = restoreSize.parse(parseJsonOrUndefined(stdout));
    return { bytes: s.total_size, files: s.total_file_count };
  }

  /** Restores snapshot `id` into `target` (which must be empty or missing). */
  async restore(id: string, target: string, signal?: AbortSignal): Promise<void> {
    await this.run(["restore", id, "--target", target], { signal });
  }

  /** Applies retention to the snapshots with `tags` (grouped by tags, so a volume that moved node is one group) and prunes. */
  async forget(tags: Tags, keep: Retention): Promise<void> {
    const args = ["forget", "--json", ...tagArgs(tags), "--group-by", "tags", "--prune"];
    if (keep.last) args.push("--keep-last", String(keep.last));
    if (keep.daily) args.push("--keep-daily", String(keep.daily));
    if (keep.weekly) args.push("--keep-weekly", String(keep.weekly));
    await this.run(args);
  }

  /** Verifies the repository's structure and a random subset of its data. */
  async check(readDataSubsetPercent: number): Promise<void> {
    await this.run(["check", `--read-data-subset=${readDataSubsetPercent}%`]);
  }

  /** Removes stale locks (left by a restic process that died, e.g. with a killed agent). */
  async unlock(): Promise<void> {
    await this.run(["unlock"]);
  }

  /**
   * One restic command. A repository locked by another node's restic (a prune takes an exclusive
   * lock) is waited for: up to six retries, 1 s doubling to 8 s, as newer restic's --retry-lock does.
   */
  private run(args: string[], opts: { cwd?: string; signal?: AbortSignal } = {}): Promise<{ stdout: string; stderr: string }> {
    return pRetry(() => this.runOnce(args, opts), {
      retries: 6,
      minTimeout: 1000,
      maxTimeout: 8000,
      signal: opts.signal,
      shouldRetry: ({ error }) => error instanceof ResticError && error.kind === "locked",
    });
  }

  private runOnce(args: string[], opts: { cwd?: string; signal?: AbortSignal }): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // A minimal environment: nothing of the agent's own (its kube credentials) leaks into restic.
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        RESTIC_REPOSITORY: this.repo.repository,
        RESTIC_PASSWORD_FILE: this.repo.passwordFile,
        ...(this.repo.cacheDir ? { RESTIC_CACHE_DIR: this.repo.cacheDir } : {}),
        ...this.repo.env,
      };
      const child = spawn(this.bin, ["--quiet", ...args], { cwd: opts.cwd, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-16_000)));
      let aborted = false;
      const onAbort = () => {
        aborted = true;
        child.kill("SIGINT");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      };
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      child.on("error", (err) =>
        reject(new ResticError(`cannot run ${this.bin}: ${err.message} (is restic installed?)`, "other", "")),
      );
      child.on("close", (code) => {
        opts.signal?.removeEventListener("abort", onAbort);
        if (code === 0) return resolve({ stdout, stderr });
        if (aborted) return reject(new ResticError(`restic ${args[0]} interrupted`, "aborted", stderr));
        reject(classify(args[0] ?? "", stderr, this.repo.repository));
      });
    });
  }
}

/** Turns restic's stderr into a message a person can act on. */
export function classify(command: string, stderr: string, repository: string): ResticError {
  const s = stderr.toLowerCase();
  const tail = stderr.trim().split("\n").slice(-3).join(" ").slice(0, 500);
  if (s.includes("wrong password")) return new ResticError(`restic ${command}: wrong repository password for ${repository}`, "wrong-password", stderr);
  if (s.includes("unable to open config file") || s.includes("is there a repository at the following location")) {
    return new ResticError(`restic ${command}: no restic repository at ${repository}`, "no-repository", stderr);
  }
  if (s.includes("no space left on device")) return new ResticError(`restic ${command}: no space left on the backup target (${tail})`, "disk-full", stderr);
  if (s.includes("repository is already locked")) return new ResticError(`restic ${command}: repository ${repository} is locked by another process`, "locked", stderr);
  if (s.includes("connection refused") || s.includes("no such host") || s.includes("timeout") || s.includes("permission denied")) {
    return new ResticError(`restic ${command}: repository ${repository} unreachable (${tail})`, "unreachable", stderr);
  }
  return new ResticError(`restic ${command} failed: ${tail}`, "other", stderr);
}
