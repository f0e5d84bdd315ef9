import { randomBytes } from "node:crypto";
import { inject, test as base } from "vitest";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";

/**
 * `test` with two fixtures for tests on the real local cluster: `kube`, the typed clients of the
 * run's cluster, and `namespace`, a fresh namespace (with its default service account ready, so pods
 * are admitted) that is deleted after the test.
 */
export const kubeTest = base.extend<{ kube: KubeClients; namespace: string }>({
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
