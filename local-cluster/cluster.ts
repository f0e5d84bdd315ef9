import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { kubeClients, loadKubeConfig } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { ensureBinaries, type ProgressFn } from "./build";
import { saveState, startExecWorkdirs, startPlatform } from "./components";
import { installPlatform } from "./install";
import { apiserverKubeletArgs, installExecCrd, kwokServerArgs } from "./kwok-exec";
import { createNodes, waitNodesReady } from "./nodes";
import {
  freePort,
  isAlive,
  startComponent,
  stopComponent,
  waitHealthy,
  type ComponentProcess,
} from "./processes";
import { binPath } from "./versions";

const STAGES_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "kwok-stages.yaml");

/** How to start a local cluster; every field has a default suited to tests and demos. */
export interface ClusterOptions {
  /** Cluster name, also its state folder's name. Default `xlss`. */
  name?: string;
  /** State folder (data, logs, kubeconfig). Default `$XLSS_STATE_DIR/<name>` or `~/.local/state/xlss/clusters/<name>`. */
  dir?: string;
  /** Simulated nodes. Default 4. */
  nodes?: number;
  /** Zones the nodes are spread over, round robin (`topology.kubernetes.io/zone`); 0 for no zone label. Default 2. */
  zones?: number;
  /**
   * Seconds without a node heartbeat before the node lifecycle controller marks it Unknown
   * (kube-controller-manager `--node-monitor-grace-period`, upstream default 50). Default 12.
   */
  nodeMonitorGraceSeconds?: number;
  /**
   * Seconds a pod tolerates a not-ready/unreachable node before taint eviction deletes it
   * (kube-apiserver `--default-*-toleration-seconds`, upstream default 300). Default 10.
   */
  evictionTolerationSeconds?: number;
  /**
   * Install the platform (CRDs, StorageClasses) and start its components: one storage agent per
   * node and the provisioner. Default true; false gives a bare Kubernetes cluster.
   */
  platform?: boolean;
  progress?: ProgressFn;
}

/** What a running cluster is; written to `<dir>/state.json` so other shells can find and stop it. */
export interface ClusterState {
  name: string;
  dir: string;
  kubeconfig: string;
  server: string;
  nodes: string[];
  processes: ComponentProcess[];
  startedAt: string;
}

export function stateRoot(): string {
  return (
    process.env.XLSS_STATE_DIR ??
    path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), ".local", "state"), "xlss", "clusters")
  );
}

export function clusterDir(name: string): string {
  return path.join(stateRoot(), name);
}

/** The running cluster's state, or undefined when none is recorded or its processes are gone. */
export function readState(dir: string): ClusterState | undefined {
  const file = path.join(dir, "state.json");
  if (!fs.existsSync(file)) return undefined;
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as ClusterState;
  return state.processes.some((p) => isAlive(p.pid)) ? state : undefined;
}

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK on 127.0.0.1 with
 * free ports, creates the simulated nodes and waits until they are Ready and the default service
 * account exists (pods are admitted only then). On any failure everything already started is stopped.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<ClusterState> {
  const name = opts.name ?? "xlss";
  const dir = opts.dir ?? clusterDir(name);
  const progress = opts.progress ?? ((l: string) => console.error(l));
  const nodeCount = opts.nodes ?? 4;
  const grace = opts.nodeMonitorGraceSeconds ?? 12;
  const toleration = opts.evictionTolerationSeconds ?? 10;

  if (readState(dir)) throw new Error(`cluster "${name}" is already running (state in ${dir}); stop it first`);
  await ensureBinaries(progress);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const sub of ["etcd", "pki", "logs"]) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o700 });

  const started: ComponentProcess[] = [];
  const log = (c: string) => path.join(dir, "logs", `${c}.log`);
  const t0 = Date.now();
  try {
    const [etcdPort, etcdPeerPort, apiPort, kcmPort, schedPort] = await Promise.all(
      Array.from({ length: 5 }, () => freePort()),
    );
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = startComponent("etcd", binPath("etcd"), [
      "--name=xlss",
      `--data-dir=${path.join(dir, "etcd")}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=xlss=http://127.0.0.1:${etcdPeerPort}`,
      // A throwaway cluster: durability is not worth the fsync latency on a shared disk.
      "--unsafe-no-fsync",
      "--quota-backend-bytes=4294967296",
      "--log-level=warn",
    ], log("etcd"));
    started.push(etcd);
    await waitHealthy(etcd, `${etcdUrl}/health`, 30_000);
    progress(`etcd up on ${etcdUrl}`);

    const pki = writePki(dir);
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startComponent("kube-apiserver", binPath("kube-apiserver"), [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(dir, "pki")}`,
      `--token-auth-file=${pki.tokenFile}`,
      "--authorization-mode=Node,RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${pki.saKey}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      "--service-cluster-ip-range=10.96.0.0/16",
      "--endpoint-reconciler-type=none",
      "--allow-privileged=true",
      `--default-not-ready-toleration-seconds=${toleration}`,
      `--default-unreachable-toleration-seconds=${toleration}`,
      "--profiling=false",
      ...apiserverKubeletArgs(dir),
    ], log("kube-apiserver"));
    started.push(apiserver);
    await waitHealthy(apiserver, `${server}/readyz`, 90_000, { Authorization: `Bearer ${pki.tokens.admin}` });
    progress(`kube-apiserver up on ${server}`);

    const caData = fs.readFileSync(path.join(dir, "pki", "apiserver.crt")).toString("base64");
    const kubeconfigFor = (user: string, token: string) =>
      writeKubeconfig(path.join(dir, "pki", `${user}.kubeconfig`), server, caData, user, token);
    const kubeconfig = writeKubeconfig(path.join(dir, "kubeconfig"), server, caData, "admin", pki.tokens.admin);
    const kcmConfig = kubeconfigFor("kube-controller-manager", pki.tokens.controllerManager);
    const schedConfig = kubeconfigFor("kube-scheduler", pki.tokens.scheduler);
    const kwokConfig = kubeconfigFor("kwok", pki.tokens.kwok);

    const delegatedAuth = (kc: string) => [
      `--authentication-kubeconfig=${kc}`,
      `--authorization-kubeconfig=${kc}`,
    ];
    const kcm = startComponent("kube-controller-manager", binPath("kube-controller-manager"), [
      `--kubeconfig=${kcmConfig}`,
      ...delegatedAuth(kcmConfig),
      "--bind-address=127.0.0.1",
      `--secure-port=${kcmPort}`,
      "--controllers=*",
      "--use-service-account-credentials=true",
      `--service-account-private-key-file=${pki.saKey}`,
      `--root-ca-file=${path.join(dir, "pki", "apiserver.crt")}`,
      "--leader-elect=false",
      "--node-monitor-period=1s",
      `--node-monitor-grace-period=${grace}s`,
      "--profiling=false",
    ], log("kube-controller-manager"));
    started.push(kcm);
    const scheduler = startComponent("kube-scheduler", binPath("kube-scheduler"), [
      `--kubeconfig=${schedConfig}`,
      ...delegatedAuth(schedConfig),
      "--bind-address=127.0.0.1",
      `--secure-port=${schedPort}`,
      "--leader-elect=false",
      "--profiling=false",
    ], log("kube-scheduler"));
    started.push(scheduler);
    const clients = kubeClients(loadKubeConfig(kubeconfig));
    await installExecCrd(clients);
    const kwokPort = await freePort();
    const kwok = startComponent("kwok", binPath("kwok"), [
      `--kubeconfig=${kwokConfig}`,
      `--config=${STAGES_FILE}`,
      "--manage-nodes-with-label-selector=xlss.io/kwok-managed=true",
      // The lease must be renewed well inside the controller manager's grace period; kwok renews at a
      // fraction of the duration, as the kubelet does.
      `--node-lease-duration-seconds=${grace}`,
      "--cidr=10.244.0.0/16",
      // Its kubelet server, so that pods/exec reaches it (kwok-exec.ts).
      ...kwokServerArgs(dir, kwokPort),
    ], log("kwok"));
    started.push(kwok);
    await Promise.all([
      waitHealthy(kcm, `https://127.0.0.1:${kcmPort}/healthz`, 60_000),
      waitHealthy(scheduler, `https://127.0.0.1:${schedPort}/healthz`, 60_000),
      waitHealthy(kwok, `https://127.0.0.1:${kwokPort}/healthz`, 60_000),
    ]);
    progress("kube-controller-manager, kube-scheduler and kwok up");

    const nodes = await createNodes(clients, nodeCount, opts.zones ?? 2);
    await waitNodesReady(clients, nodes, 60_000, () => started.find((p) => !isAlive(p.pid)));
    await waitFor(
      () => clients.core.readNamespacedServiceAccount({ name: "default", namespace: "default" }),
      { what: "the default service account", timeoutMs: 60_000 },
    );
    progress(`${nodes.length} nodes Ready after ${((Date.now() - t0) / 1000).toFixed(1)}s`);

    const state: ClusterState = {
      name,
      dir,
      kubeconfig,
      server,
      nodes,
      processes: started,
      startedAt: new Date().toISOString(),
    };
    saveState(state);
    await startExecWorkdirs(state);
    if (opts.platform ?? true) {
      await installPlatform(clients);
      await startPlatform(state);
      progress(`storage platform up: ${nodes.length} node agents, the provisioner and the xlss-scheduler`);
    }
    progress(`cluster "${name}" started in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    return state;
  } catch (err) {
    const recorded = readState(dir)?.processes ?? [];
    await stopProcesses([...started, ...recorded.filter((p) => !started.some((s) => s.pid === p.pid))]);
    throw err;
  }
}

/** Stops every component and removes the state folder unless `keepData`. */
export async function stopCluster(dir: string, keepData = false): Promise<void> {
  const file = path.join(dir, "state.json");
  if (fs.existsSync(file)) {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as ClusterState;
    await stopProcesses(state.processes);
    fs.rmSync(file);
  }
  if (!keepData) fs.rmSync(dir, { recursive: true, force: true });
}

/** Stops the clients of etcd together, then etcd last, so nothing is left writing to a dead store. */
async function stopProcesses(procs: ComponentProcess[]): Promise<void> {
  const etcd = procs.filter((p) => p.name === "etcd");
  await Promise.all(procs.filter((p) => p.name !== "etcd").map((p) => stopComponent(p)));
  await Promise.all(etcd.map((p) => stopComponent(p)));
}

interface Pki {
  saKey: string;
  tokenFile: string;
  tokens: { admin: string; controllerManager: string; scheduler: string; kwok: string };
}

/**
 * Static bearer tokens for each identity and one RSA key that signs and verifies service-account
 * tokens. The API server writes its own self-signed serving certificate (its file also holds the CA).
 */
function writePki(dir: string): Pki {
  const pkiDir = path.join(dir, "pki");
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const saKey = path.join(pkiDir, "service-account.key");
  fs.writeFileSync(saKey, privateKey, { mode: 0o600 });
  const token = () => randomBytes(24).toString("hex");
  const tokens = { admin: token(), controllerManager: token(), scheduler: token(), kwok: token() };
  const tokenFile = path.join(pkiDir, "tokens.csv");
  fs.writeFileSync(
    tokenFile,
    [
      `${tokens.admin},xlss-admin,xlss-admin,"system:masters"`,
      `${tokens.controllerManager},system:kube-controller-manager,system:kube-controller-manager`,
      `${tokens.scheduler},system:kube-scheduler,system:kube-scheduler`,
      // KWOK plays every kubelet at once, which no single node identity of the Node authorizer allows.
      `${tokens.kwok},kwok,kwok,"system:masters"`,
    ].join("\n") + "\n",
    { mode: 0o600 },
  );
  return { saKey, tokenFile, tokens };
}

function writeKubeconfig(file: string, server: string, caData: string, user: string, token: string): string {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "xlss-local", cluster: { server, "certificate-authority-data": caData } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: "xlss-local", context: { cluster: "xlss-local", user, namespace: "default" } }],
    "current-context": "xlss-local",
  };
  fs.writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}
