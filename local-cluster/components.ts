import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { kubeClients, loadKubeConfig } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { getPool } from "../lib/xlss/api/client";
import { BACKUP_SECRET, SYSTEM_NAMESPACE } from "../lib/xlss/api/types";
import type { ClusterState } from "./cluster";
import { killNode, reviveNode } from "./nodes";
import { freePort, startComponent, stopComponent, waitHealthy, type ComponentProcess } from "./processes";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The components are TypeScript run by Node through tsx's loader, resolved from this repository.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/** Process names of the platform's components in the cluster state. */
export const rescuerName = (node: string) => `xlss-rescuer/${node}`;
export const PROVISIONER_NAME = "xlss-provisioner";
export const SCHEDULER_NAME = "xlss-scheduler";
export const EXEC_WORKDIRS_NAME = "kwok-exec-workdirs";
export const OPERATORS_NAME = "xlss-operators";

/** The folder that plays a node's fast local disk. */
export function nodeDisk(state: ClusterState, node: string): string {
  return path.join(state.dir, "nodes", node, "disk");
}

/**
 * The credentials a component starts with: the admin kubeconfig, unless
 * `<cluster dir>/service-accounts/<component>.kubeconfig` exists (a ServiceAccount token of the
 * Helm chart's RBAC, written by test/chart/run-as-service-accounts.ts), which it then keeps across
 * restarts.
 */
function componentKubeconfig(state: ClusterState, name: string): string {
  const own = path.join(state.dir, "service-accounts", `${name.split("/")[0]}.kubeconfig`);
  return fs.existsSync(own) ? own : state.kubeconfig;
}

async function startTs(
  state: ClusterState,
  name: string,
  entry: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ComponentProcess> {
  const port = await freePort();
  const logFile = path.join(state.dir, "logs", `${name.replace("/", "-")}.log`);
  const proc = startComponent(
    name,
    process.execPath,
    ["--import", TSX_LOADER, path.join(REPO, entry), `--metrics-port=${port}`, ...args],
    logFile,
    { KUBECONFIG: componentKubeconfig(state, name), ...env },
  );
  try {
    await waitHealthy(proc, `http://127.0.0.1:${port}/healthz`, 120_000);
  } catch (err) {
    await stopComponent(proc);
    throw err;
  }
  return { ...proc, metricsPort: port };
}

/** Starts the node agent of `node` on its own disk folder and records it in the cluster state. */
export async function startRescuer(state: ClusterState, node: string, extraArgs: string[] = []): Promise<ComponentProcess> {
  const disk = nodeDisk(state, node);
  fs.mkdirSync(disk, { recursive: true });
  // Usage is measured every 5 s here (30 s by default), moved volumes are quarantined for 30 s (a
  // week by default) and stray directories looked for every 5 s (hourly by default), so that demos
  // and tests see all three happen.
  const args = [`--root=${disk}`, "--usage-interval-ms=5000", "--quarantine-ttl-ms=30000", "--stray-sweep-ms=5000", ...extraArgs];
  const proc = await startTs(state, rescuerName(node), "lib/xlss/rescuer/main.ts", args, {
    NODE_NAME: node,
  });
  record(state, proc);
  return proc;
}

export async function startProvisioner(state: ClusterState, extraArgs: string[] = []): Promise<ComponentProcess> {
  // The guardian's window is 20 s here (60 s by default): past the 12 s failure detection, short
  // enough for demos and tests to see a recovery start.
  const proc = await startTs(state, PROVISIONER_NAME, "lib/xlss/provisioner/main.ts", ["--guardian-window-ms=20000", ...extraArgs]);
  record(state, proc);
  return proc;
}

export async function startScheduler(state: ClusterState, extraArgs: string[] = []): Promise<ComponentProcess> {
  // A --config among extraArgs replaces the local cluster's (which sets the rescue's window).
  const config = extraArgs.some((a) => a.startsWith("--config")) ? [] : [`--config=${path.join(REPO, "local-cluster/scheduler-config.yaml")}`];
  const proc = await startTs(state, SCHEDULER_NAME, "lib/xlss/scheduler/main.ts", [...config, ...extraArgs]);
  record(state, proc);
  return proc;
}

/** Starts the middleware operators (operators/main.ts: every paas.xlss.io kind's controller). */
export async function startOperators(state: ClusterState, extraArgs: string[] = []): Promise<ComponentProcess> {
  const proc = await startTs(state, OPERATORS_NAME, "operators/main.ts", extraArgs);
  record(state, proc);
  return proc;
}

/**
 * Starts the launcher's own helper that points `kubectl exec` in each pod at its volumes' folders
 * (exec-workdirs.ts); part of every cluster, with or without the platform.
 */
export async function startExecWorkdirs(state: ClusterState): Promise<ComponentProcess> {
  const proc = await startTs(state, EXEC_WORKDIRS_NAME, "local-cluster/exec-workdirs.ts", []);
  record(state, proc);
  return proc;
}

/**
 * Stops a platform component. `SIGKILL` simulates a crash (no lease release, no clean-up); the
 * default SIGTERM is a clean shutdown.
 */
export async function stopPlatformComponent(state: ClusterState, name: string, signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
  const proc = state.processes.find((p) => p.name === name);
  if (!proc) return;
  if (signal === "SIGKILL") {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await stopComponent(proc);
  state.processes = state.processes.filter((p) => p !== proc);
  saveState(state);
}

/**
 * Starts the storage platform on a running cluster: one agent per node, the provisioner and the
 * xlss-scheduler; resolves when every node's pool has reported its capacity.
 */
/**
 * The backup target of the local cluster: a folder shared by all simulated nodes (NFS in
 * production), with a random repository password, in the Secret the node agents read.
 */
async function configureBackups(state: ClusterState): Promise<void> {
  const dir = path.join(state.dir, "backups");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const clients = kubeClients(loadKubeConfig(state.kubeconfig));
  await clients.core.createNamespacedSecret({
    namespace: SYSTEM_NAMESPACE,
    body: {
      metadata: { name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE },
      stringData: { repository: dir, password: randomBytes(24).toString("base64url") },
    },
  });
}

export async function startPlatform(state: ClusterState): Promise<void> {
  await configureBackups(state);
  // A few at a time: each agent is a Node.js process, and fifty starting at once on two cores
  // starve each other (and the API server) for minutes.
  for (let i = 0; i < state.nodes.length; i += 4) {
    await Promise.all(state.nodes.slice(i, i + 4).map((n) => startRescuer(state, n)));
  }
  await startProvisioner(state);
  await startScheduler(state);
  await startOperators(state);
  const clients = kubeClients(loadKubeConfig(state.kubeconfig));
  await waitFor(
    async () => {
      for (const n of state.nodes) if ((await getPool(clients, n))?.status?.capacityBytes === undefined) return false;
      return true;
    },
    { what: "every node's storage pool reported", timeoutMs: 60_000 },
  );
}

function record(state: ClusterState, proc: ComponentProcess): void {
  state.processes = [...state.processes.filter((p) => p.name !== proc.name), proc];
  saveState(state);
}

export function saveState(state: ClusterState): void {
  fs.writeFileSync(path.join(state.dir, "state.json"), JSON.stringify(state, null, 2));
}

/**
 * A machine dies: KWOK stops its heartbeats and its storage agent is killed (SIGKILL, no clean-up),
 * as when a server loses power. Its volume directories stay on its disk folder.
 */
export async function killMachine(state: ClusterState, node: string): Promise<void> {
  await killNode(kubeClients(loadKubeConfig(state.kubeconfig)), node);
  await stopPlatformComponent(state, rescuerName(node), "SIGKILL");
}

/** The machine comes back: heartbeats resume and its storage agent starts again. */
export async function reviveMachine(state: ClusterState, node: string): Promise<void> {
  await reviveNode(kubeClients(loadKubeConfig(state.kubeconfig)), node);
  if (!state.processes.some((p) => p.name === rescuerName(node))) await startRescuer(state, node);
}
