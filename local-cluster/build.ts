import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BINARIES, binDir, binPath, VERSIONS, type BinaryName } from "./versions";

const GO_MODULE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "gobuild");

/** Called with human-readable progress lines while binaries build. */
export type ProgressFn = (line: string) => void;

/** The binaries not yet in the cache. */
export function missingBinaries(): BinaryName[] {
  return BINARIES.filter((b) => !fs.existsSync(binPath(b.name))).map((b) => b.name);
}

/**
 * Builds every missing binary from the pinned Go modules into the version-keyed cache. A cold build
 * takes minutes on two cores, so progress is reported per binary with elapsed time, and module
 * downloads are reported as they happen. Each binary is written to a temporary name and renamed, so an
 * interrupted build never leaves a truncated binary that a later run would trust.
 */
export async function ensureBinaries(progress: ProgressFn = (l) => console.error(l)): Promise<string> {
  const missing = BINARIES.filter((b) => !fs.existsSync(binPath(b.name)));
  if (missing.length === 0) return binDir();
  await assertGo();
  fs.mkdirSync(binDir(), { recursive: true });
  progress(
    `building ${missing.length} binaries (Kubernetes ${VERSIONS.kubernetes}, etcd ${VERSIONS.etcd}, ` +
      `KWOK ${VERSIONS.kwok}) into ${binDir()}; a cold build takes 10-20 minutes on 2 cores`,
  );
  const started = Date.now();
  for (const [i, bin] of missing.entries()) {
    const t0 = Date.now();
    const tmp = `${binPath(bin.name)}.partial-${process.pid}`;
    const ticker = setInterval(
      () => progress(`  [${i + 1}/${missing.length}] ${bin.name}: still compiling (${seconds(t0)})`),
      30_000,
    );
    try {
      await runGo(["build", "-trimpath", "-ldflags", ldflags(), "-o", tmp, bin.pkg], progress);
    } finally {
      clearInterval(ticker);
    }
    fs.renameSync(tmp, binPath(bin.name));
    progress(`  [${i + 1}/${missing.length}] ${bin.name} built in ${seconds(t0)}`);
  }
  progress(`all binaries built in ${seconds(started)}`);
  return binDir();
}

function ldflags(): string {
  const [major, minor] = VERSIONS.kubernetes.slice(1).split(".");
  const v = "k8s.io/component-base/version";
  return `-s -w -X ${v}.gitVersion=${VERSIONS.kubernetes} -X ${v}.gitMajor=${major} -X ${v}.gitMinor=${minor}`;
}

function seconds(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

async function assertGo(): Promise<void> {
  try {
    await runGo(["version"], () => {});
  } catch {
    throw new Error(
      "Go is needed to build the local cluster's binaries (Go >= 1.26, found none on PATH). " +
        "Install it from https://go.dev/dl or your distribution, then run this again.",
    );
  }
}

function runGo(args: string[], progress: ProgressFn): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, {
      cwd: GO_MODULE_DIR,
      // A newer toolchain must never be fetched behind our back; the module's go directive is the floor.
      env: { ...process.env, GOTOOLCHAIN: "local" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      for (const line of chunk.split("\n")) if (line.startsWith("go: downloading")) progress(`  ${line}`);
    });
    child.stdout.resume();
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`go ${args.join(" ")} failed (exit ${code}):\n${stderr.slice(-4000)}`)),
    );
  });
}
