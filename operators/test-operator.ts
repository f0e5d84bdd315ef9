import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAllYaml, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { applyObjects } from "../lib/k8s/apply";
import type { KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import type { ClusterState } from "../local-cluster/cluster";
import { OPERATORS_NAME, startOperators, stopPlatformComponent } from "../local-cluster/components";
import type { ComponentProcess } from "../local-cluster/processes";

// For integration tests: the operators process on a local cluster restarted from the current code
// (components load their code at start), and the paas.xlss.io CRDs as the chart has them now (a
// cluster started before a CRD changed still has the old one).

const CRDS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "charts", "xlss", "crds");

/** Applies the chart's paas.xlss.io CRDs (as they are now) and waits until they are served. */
export async function installOperatorCrds(clients: KubeClients): Promise<void> {
  const crds = fs
    .readdirSync(CRDS)
    .filter((f) => f.startsWith("paas.xlss.io_") && f.endsWith(".yaml"))
    .flatMap((f) => loadAllYaml(fs.readFileSync(path.join(CRDS, f), "utf8")) as V1CustomResourceDefinition[]);
  await applyObjects(clients, crds, "xlss-installer");
  await waitFor(
    async () => {
      for (const crd of crds) {
        const stored = (await clients.objects.read({ apiVersion: crd.apiVersion, kind: crd.kind, metadata: { name: crd.metadata?.name ?? "" } })) as V1CustomResourceDefinition;
        if (!stored.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) return false;
      }
      return true;
    },
    { what: "paas.xlss.io CRDs established", timeoutMs: 30_000 },
  );
}

/** Stops the cluster's operators process if one runs (cleanly) and starts one from the current code. */
export async function restartOperators(state: ClusterState): Promise<ComponentProcess> {
  await stopPlatformComponent(state, OPERATORS_NAME);
  return startOperators(state);
}

/** Kills the operators process as a crash would (SIGKILL, no lease release). */
export async function killOperators(state: ClusterState): Promise<void> {
  await stopPlatformComponent(state, OPERATORS_NAME, "SIGKILL");
}
