import { randomBytes } from "node:crypto";
import path from "node:path";
import { inject, test as base } from "vitest";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { readState, type ClusterState } from "../local-cluster/cluster";

/**
 * `test` with fixtures for tests on the real local cluster: `kube`, the typed clients of the run's
 * cluster; `namespace`, a fresh namespace (with its default service account ready, so pods are
 * admitted) that is deleted after the test; `cluster`, the launcher's state (node disks, component
 * processes) for tests that stop and start components.
 */
export const kubeTest = base.extend<{ kube: KubeClients; namespace: string; cluster: ClusterState }>({
  cluster: async ({}, provide) => {
    const dir = path.dirname(inject("kubeconfig"));
    const state = readState(dir);
    if (!state) throw new Error(`no running local cluster in ${dir}`);
    await provide(state);
  },
  kube: async ({}, provide) => {
    await provide(kubeClients(loadKubeConfig(inject("kubeconfig"))));
  },
  namespace: async ({ kube }, provide) => {
    const name = `t-${randomBytes(4).toString("hex")}`;
    await kube.core.createNamespace({ body: { metadata: { name, labels: { "xlss.io/test": "true" } } } });
    await waitFor(() => kube.core.readNamespacedServiceAccount({ name: "default", namespace: name }), {
      what: `service account default in ${name}`,
    });
    await provide(name);
    await kube.core.deleteNamespace({ name });
  },
});
