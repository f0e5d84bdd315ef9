import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAllYaml, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { applyObjects } from "../lib/k8s/apply";
import type { KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";

/**
 * `pods/exec` (`kubectl exec`, the backup hooks) for pods on KWOK's simulated nodes.
 *
 * The API server proxies an exec to the node's kubelet: it picks an address of the node
 * (`--kubelet-preferred-address-types`) and the port the kubelet reports in
 * `status.daemonEndpoints.kubeletEndpoint.Port`, and speaks HTTPS to it. Here one KWOK process plays
 * every kubelet, and with `--server-address` it serves the kubelet's exec endpoint itself, running
 * the command on this machine as configured by KWOK's Exec (one pod) and ClusterExec (any pod)
 * resources. So:
 *
 * - kwok listens on 127.0.0.1:<free port> (`--server-address`) and reports that port as every node's
 *   kubelet port (`--node-port`, written by the node-initialize stage in kwok-stages.yaml);
 * - every node carries the address ExternalIP 127.0.0.1 (nodes.ts), and the API server reaches
 *   kubelets by ExternalIP only, so exec goes to 127.0.0.1 while the InternalIPs stay 10.10.0.N;
 * - kwok serves the API server's own certificate (its IP SAN is 127.0.0.1) and the API server
 *   verifies the "kubelet" with that certificate's CA (`--kubelet-certificate-authority`);
 * - KWOK v0.8 does not authenticate its callers (no client CA option), which is why it listens on
 *   loopback only: any local user who can reach the port can run commands as the launcher's user;
 * - the working directory: a ClusterExec in `<cluster dir>/kwok-exec.yaml` runs commands of any pod
 *   in `<cluster dir>/exec`, and exec-workdirs.ts gives each pod with local volumes its own Exec
 *   (`--enable-crds=Exec`) whose working directory is the host folder of the volume the container
 *   mounts, so `sh -c 'date > marker'` in a pod lands in its volume.
 */

const EXEC_CRD_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "kwok-exec-crd.yaml");

/** Where commands of pods without an Exec of their own run (a folder of their own, never the cluster's data). */
export function defaultExecDir(dir: string): string {
  return path.join(dir, "exec");
}

/** kube-apiserver flags: reach kubelets at the node's ExternalIP, verify them with the API server's own CA. */
export function apiserverKubeletArgs(dir: string): string[] {
  return [
    "--kubelet-preferred-address-types=ExternalIP",
    // The API server writes this file (its self-signed serving certificate and CA) while starting,
    // before it builds its kubelet client; kwok serves the same certificate.
    `--kubelet-certificate-authority=${path.join(dir, "pki", "apiserver.crt")}`,
  ];
}

/** kwok flags for its kubelet server on `port`; writes the ClusterExec config they name. */
export function kwokServerArgs(dir: string, port: number): string[] {
  const execDir = defaultExecDir(dir);
  fs.mkdirSync(execDir, { recursive: true, mode: 0o700 });
  const config = path.join(dir, "kwok-exec.yaml");
  fs.writeFileSync(
    config,
    stringify({
      apiVersion: "kwok.x-k8s.io/v1alpha1",
      kind: "ClusterExec",
      metadata: { name: "on-this-machine" },
      // No selector: every pod; a pod's own Exec (exec-workdirs.ts) takes precedence.
      spec: { execs: [{ local: { workDir: execDir } }] },
    }),
  );
  return [
    `--server-address=127.0.0.1:${port}`,
    `--node-port=${port}`,
    `--tls-cert-file=${path.join(dir, "pki", "apiserver.crt")}`,
    `--tls-private-key-file=${path.join(dir, "pki", "apiserver.key")}`,
    `--config=${config}`,
    // Per-pod Exec objects come from the API (kwok watches them); ClusterExec stays in the file.
    "--enable-crds=Exec",
  ];
}

/** Installs KWOK's Exec CRD (kwok watches it from its start, so this comes first) and waits until it is served. */
export async function installExecCrd(clients: KubeClients): Promise<void> {
  const crds = (loadAllYaml(fs.readFileSync(EXEC_CRD_FILE, "utf8")) as V1CustomResourceDefinition[]).filter(Boolean);
  await applyObjects(clients, crds, "xlss-installer");
  await waitFor(
    async () => {
      const crd = await clients.objects.read({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "execs.kwok.x-k8s.io" } });
      return (crd as V1CustomResourceDefinition).status?.conditions?.some((c) => c.type === "Established" && c.status === "True");
    },
    { what: "KWOK's Exec CRD established", timeoutMs: 30_000 },
  );
}
