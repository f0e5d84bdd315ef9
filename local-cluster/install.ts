import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAllYaml, type KubernetesObject, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { applyObjects } from "../lib/k8s/apply";
import type { KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import { SYSTEM_NAMESPACE } from "../lib/xlss/api/types";

const CHART = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "charts", "xlss");

function manifests(dir: string, only?: string): KubernetesObject[] {
  return fs
    .readdirSync(dir)
    .filter((f) => (only ? f === only : f.endsWith(".yaml")))
    .sort()
    .flatMap((f) => loadAllYaml(fs.readFileSync(path.join(dir, f), "utf8")) as KubernetesObject[])
    .filter(Boolean);
}

/**
 * Installs the platform's cluster-wide objects from the Helm chart's files, the way `helm install`
 * would: the CRDs (waiting until the API server serves them), the system namespace, the CSIDriver
 * and the StorageClasses. Idempotent (server-side apply).
 */
export async function installPlatform(clients: KubeClients): Promise<void> {
  const crds = manifests(path.join(CHART, "crds")) as V1CustomResourceDefinition[];
  await applyObjects(clients, crds, "xlss-installer");
  await waitFor(
    async () => {
      for (const crd of crds) {
        const stored = await clients.objects.read({ apiVersion: crd.apiVersion, kind: crd.kind, metadata: { name: crd.metadata?.name ?? "" } });
        const established = (stored as V1CustomResourceDefinition).status?.conditions?.some(
          (c) => c.type === "Established" && c.status === "True",
        );
        if (!established) return false;
      }
      return true;
    },
    { what: "CRDs established", timeoutMs: 30_000 },
  );
  await applyObjects(
    clients,
    // Of the chart's templates only storage.yaml is plain YAML (the others need Helm to render).
    [{ apiVersion: "v1", kind: "Namespace", metadata: { name: SYSTEM_NAMESPACE } }, ...manifests(path.join(CHART, "templates"), "storage.yaml")],
    "xlss-installer",
  );
}
