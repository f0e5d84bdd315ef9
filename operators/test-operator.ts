import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadAllYaml, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { applyObjects } from "../lib/k8s/apply";
import type { KubeClients } from "../lib/k8s/client";
import { waitFor } from "../lib/k8s/wait";
import type { ClusterState } from "../local-cluster/cluster";
import { saveState, stopPlatformComponent } from "../local-cluster/components";
import { freePort, startComponent, waitHealthy, type ComponentProcess } from "../local-cluster/processes";
import { OPERATORS } from "./shared/labels";

// For integration tests and benchmarks: the operators process on a local cluster, started from the
// current code (components load their code at start), and the paas.xlss.io CRDs as in the chart.

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Run by Node through tsx's loader, resolved from this repository (as the launcher does).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const CRDS = path.join(REPO, "charts", "xlss", "crds");

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

/**
 * Stops the cluster's operators process if one runs (SIGKILL: as a crash, leaving its lease to
 * expire; SIGTERM: a clean stop) and starts a new one from the current code, recorded in the
 * cluster state like the launcher's components.
 */
export async function restartOperators(state: ClusterState, stopWith: "SIGTERM" | "SIGKILL" = "SIGTERM", args: string[] = []): Promise<ComponentProcess> {
  await stopPlatformComponent(state, OPERATORS, stopWith);
  const port = await freePort();
  const logFile = path.join(state.dir, "logs", `${OPERATORS}.log`);
  const proc: ComponentProcess = {
    ...startComponent(OPERATORS, process.execPath, ["--import", TSX_LOADER, path.join(REPO, "operators", "main.ts"), `--metrics-port=${port}`, ...args], logFile, {
      KUBECONFIG: state.kubeconfig,
    }),
    metricsPort: port,
  };
  state.processes = [...state.processes.filter((p) => p.name !== OPERATORS), proc];
  saveState(state);
  await waitHealthy(proc, `http://127.0.0.1:${port}/healthz`, 120_000);
  return proc;
}

/** Kills the operators process as a crash would (SIGKILL, no lease release). */
export async function killOperators(state: ClusterState): Promise<void> {
  await stopPlatformComponent(state, OPERATORS, "SIGKILL");
}
