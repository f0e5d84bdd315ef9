/**
 * The local cluster launcher's command line: `npm run cluster -- <command>`.
 *
 *   build                  build (once, cached by version) etcd, Kubernetes and KWOK from Go modules
 *   up [--nodes N] [--zones Z] [--name NAME] [--grace S] [--toleration S] [--no-platform]
 *                          start a cluster in the background (with the storage platform unless
 *                          --no-platform) and print its kubeconfig path
 *   down [--name NAME] [--keep-data]
 *                          stop it; its data folder is removed unless --keep-data
 *   status [--name NAME]   components, nodes and their readiness
 *   kill-node NODE         stop the node's heartbeats and storage agent (NotReady, then its pods
 *                          stuck Terminating)
 *   revive-node NODE       resume its heartbeats and agent (Ready again)
 *   kubeconfig [--name N]  print the kubeconfig path (for `export KUBECONFIG=$(...)`)
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { kubeClients, loadKubeConfig } from "../lib/k8s/client";
import { ensureBinaries } from "./build";
import { killMachine, nodeDisk, reviveMachine } from "./components";
import { clusterDir, readState, startCluster, stopCluster, type ClusterState } from "./cluster";
import { isNodeReady, killNode, MANAGED_LABEL, reviveNode } from "./nodes";
import { isAlive } from "./processes";

const USAGE = `usage: npm run cluster -- <build|up|down|status|kill-node NODE|revive-node NODE|kubeconfig> [options]`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string", default: "xlss" },
      nodes: { type: "string", default: "4" },
      zones: { type: "string", default: "2" },
      grace: { type: "string", default: "12" },
      toleration: { type: "string", default: "10" },
      "keep-data": { type: "boolean", default: false },
      "no-platform": { type: "boolean", default: false },
    },
  });
  const [command, arg] = positionals;
  const dir = clusterDir(values.name);
  switch (command) {
    case "build":
      await ensureBinaries();
      return;
    case "up": {
      const state = await startCluster({
        name: values.name,
        nodes: positiveInt("--nodes", values.nodes),
        zones: nonNegativeInt("--zones", values.zones),
        nodeMonitorGraceSeconds: positiveInt("--grace", values.grace),
        evictionTolerationSeconds: nonNegativeInt("--toleration", values.toleration),
        platform: !values["no-platform"],
      });
      console.log(`cluster "${state.name}" is up; logs in ${state.dir}/logs`);
      console.log(`export KUBECONFIG=${state.kubeconfig}`);
      return;
    }
    case "down":
      await stopCluster(dir, values["keep-data"]);
      console.log(`cluster "${values.name}" stopped${values["keep-data"] ? `; data kept in ${dir}` : ""}`);
      return;
    case "status":
      return status(running(dir));
    case "kill-node":
    case "revive-node": {
      if (!arg) throw new Error(`${command} needs a node name\n${USAGE}`);
      const state = running(dir);
      if (!state.nodes.includes(arg)) throw new Error(`no node ${arg}; nodes: ${state.nodes.join(", ")}`);
      // A bare cluster (--no-platform) has no storage agents: only the heartbeats stop and resume.
      const platform = fs.existsSync(nodeDisk(state, arg));
      const clients = kubeClients(loadKubeConfig(state.kubeconfig));
      if (command === "kill-node") {
        await (platform ? killMachine(state, arg) : killNode(clients, arg));
        console.log(`${arg}: heartbeats${platform ? " and storage agent" : ""} stopped; NotReady after the grace period, then its pods are evicted and stay Terminating`);
      } else {
        await (platform ? reviveMachine(state, arg) : reviveNode(clients, arg));
        console.log(`${arg}: heartbeats resumed`);
      }
      return;
    }
    case "kubeconfig":
      console.log(running(dir).kubeconfig);
      return;
    default:
      throw new Error(USAGE);
  }
}

function running(dir: string): ClusterState {
  const state = readState(dir);
  if (!state) throw new Error(`no running cluster in ${dir}; start one with: npm run cluster -- up`);
  return state;
}

async function status(state: ClusterState): Promise<void> {
  console.log(`cluster "${state.name}" at ${state.server}, started ${state.startedAt}`);
  for (const p of state.processes) console.log(`  ${p.name.padEnd(24)} pid ${p.pid} ${isAlive(p.pid) ? "running" : "DEAD"}`);
  const clients = kubeClients(loadKubeConfig(state.kubeconfig));
  for (const node of (await clients.core.listNode()).items) {
    const labels = node.metadata?.labels ?? {};
    const zone = labels["topology.kubernetes.io/zone"] ?? "-";
    const heartbeat = labels[MANAGED_LABEL] === "false" ? "killed" : "alive";
    console.log(`  ${node.metadata?.name?.padEnd(16)} ${isNodeReady(node) ? "Ready   " : "NotReady"} zone=${zone} heartbeat=${heartbeat}`);
  }
}

function positiveInt(flag: string, value: string): number {
  const n = nonNegativeInt(flag, value);
  if (n === 0) throw new Error(`${flag} must be at least 1`);
  return n;
}

function nonNegativeInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${flag} must be a whole number, got "${value}"`);
  return Number(value);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
