import type { V1Node } from "@kubernetes/client-node";
import { mergePatch, type KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import type { ComponentProcess } from "./processes";

/** Label KWOK selects the nodes it simulates by; `false` means the node's "kubelet" is dead. */
export const MANAGED_LABEL = "xlss.io/kwok-managed";

/** Capacity of one simulated node: a modest bare-metal box for middleware. */
const CAPACITY = { cpu: "16", memory: "64Gi", pods: "110", "ephemeral-storage": "500Gi" };
const ALLOCATABLE = { cpu: "15800m", memory: "62Gi", pods: "110", "ephemeral-storage": "480Gi" };

/** Node names are xlss-node-1..N; addresses 10.10.0.1..N (up to 254 nodes, plenty for one machine). */
export function nodeName(index: number): string {
  return `xlss-node-${index + 1}`;
}

function nodeManifest(index: number, zones: number): V1Node {
  const name = nodeName(index);
  const labels: Record<string, string> = {
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "node.kubernetes.io/instance-type": "xlss-sim-16c64g",
    [MANAGED_LABEL]: "true",
  };
  if (zones > 0) labels["topology.kubernetes.io/zone"] = `zone-${String.fromCharCode(97 + (index % zones))}`;
  // Node status is accepted on create (a kubelet registers that way); KWOK keeps capacity it finds.
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels },
    spec: {},
    status: {
      capacity: CAPACITY,
      allocatable: ALLOCATABLE,
      addresses: [
        { type: "InternalIP", address: `10.10.0.${index + 1}` },
        { type: "Hostname", address: name },
        // Where the API server reaches this node's "kubelet" (KWOK's server on loopback) for exec;
        // it is told to use ExternalIP for kubelets only (kwok-exec.ts).
        { type: "ExternalIP", address: "127.0.0.1" },
      ],
    },
  };
}

/** Creates `count` simulated nodes named xlss-node-1..N; returns their names. */
export async function createNodes(clients: KubeClients, count: number, zones: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    await clients.core.createNode({ body: nodeManifest(i, zones) });
    names.push(nodeName(i));
  }
  return names;
}

export function isNodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

/** Waits until every named node is Ready; `dead` reports a component that died meanwhile. */
export async function waitNodesReady(
  clients: KubeClients,
  names: string[],
  timeoutMs: number,
  dead: () => ComponentProcess | undefined,
): Promise<void> {
  await waitFor(
    async () => {
      const down = dead();
      if (down) throw new Error(`${down.name} exited; see ${down.logFile}`);
      const list = await clients.core.listNode();
      const ready = new Set(list.items.filter(isNodeReady).map((n) => n.metadata?.name));
      return names.every((n) => ready.has(n));
    },
    { what: `nodes ${names.join(", ")} Ready`, timeoutMs },
  );
}

/**
 * "Kills" a node: KWOK stops managing it, so its lease is no longer renewed, the node lifecycle
 * controller marks it Unknown and taints it, and its pods, once evicted, stay Terminating because
 * no kubelet confirms their deletion.
 */
export async function killNode(clients: KubeClients, name: string): Promise<void> {
  await setManaged(clients, name, false);
}

/** Brings a killed node back: KWOK manages it again and reports it Ready. */
export async function reviveNode(clients: KubeClients, name: string): Promise<void> {
  await setManaged(clients, name, true);
}

async function setManaged(clients: KubeClients, name: string, managed: boolean): Promise<void> {
  await clients.core.patchNode(
    { name, body: { metadata: { labels: { [MANAGED_LABEL]: String(managed) } } } },
    mergePatch,
  );
}
