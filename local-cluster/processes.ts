import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { sleep } from "../lib/k8s/sleep";

/** A component process the launcher started; `pid` is also its process group id. */
export interface ComponentProcess {
  name: string;
  pid: number;
  logFile: string;
  /** Where a platform component serves /metrics and /healthz. */
  metricsPort?: number;
}

/** A free TCP port on 127.0.0.1, so several clusters (a test run beside a dev cluster) never collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts a component in its own process group with output appended to `logFile`. Detached so that
 * `cluster down` from another shell can stop it, and so that stopping the group also reaches anything
 * the component started itself.
 */
export function startComponent(
  name: string,
  bin: string,
  args: string[],
  logFile: string,
  env: Record<string, string> = {},
): ComponentProcess {
  const fd = fs.openSync(logFile, "a");
  const child = spawn(bin, args, { detached: true, stdio: ["ignore", fd, fd], env: { ...process.env, ...env } });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${bin})`);
  child.unref();
  return { name, pid: child.pid, logFile };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** SIGTERM to the process group, then SIGKILL after `graceMs` if anything is still alive. */
export async function stopComponent(proc: Pick<ComponentProcess, "pid">, graceMs = 5000): Promise<void> {
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  if (!isAlive(proc.pid)) return;
  signalGroup("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(proc.pid)) return;
    await sleep(100);
  }
  signalGroup("SIGKILL");
  while (isAlive(proc.pid)) await sleep(50);
}

/** Last lines of a component's log, for error messages that say why it did not come up. */
export function tailLog(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * GETs a health endpoint on 127.0.0.1 and resolves with the status code (0 when unreachable). The
 * components serve self-signed certificates on loopback, which is why TLS is not verified here.
 */
export function probe(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const mod = url.startsWith("https:") ? https : http;
    const req = mod.get(url, { headers, rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

/** Polls `url` until it answers 200; fails early with the component's log if the process died. */
export async function waitHealthy(
  proc: ComponentProcess,
  url: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await probe(url, headers)) === 200) return;
    if (!isAlive(proc.pid)) {
      throw new Error(`${proc.name} exited during start-up; last log lines:\n${tailLog(proc.logFile)}`);
    }
    await sleep(200);
  }
  throw new Error(`${proc.name} not healthy at ${url} after ${timeoutMs} ms; last log lines:\n${tailLog(proc.logFile)}`);
}
