import type { Logger } from "pino";
import { Gauge } from "prom-client";
import type { Informer } from "../../k8s/informer";
import { sleep } from "../../k8s/sleep";
import { registry } from "../../metrics";
import type { XlssVolume } from "../api/types";
import type { BackupRepositories } from "./repository";

const checkOk = new Gauge({
  name: "xlss_repository_check_success",
  help: "1 if the latest `restic check` of a namespace's repository passed, 0 if it found a problem.",
  labelNames: ["namespace"] as const,
  registers: [registry],
});
const checkTime = new Gauge({
  name: "xlss_repository_check_timestamp_seconds",
  help: "When a namespace's repository was last checked (Unix time).",
  labelNames: ["namespace"] as const,
  registers: [registry],
});

/**
 * Periodically verifies the repositories of the namespaces whose volumes live on this node:
 * `restic check` of the structure plus a random `subsetPercent` of the data, so silent corruption is
 * found before a restore needs the data. Each round starts after a random part of the interval, so
 * the nodes sharing a repository spread their checks out.
 */
export async function runRepositoryChecks(
  deps: { node: string; volumes: Informer<XlssVolume>; repos: BackupRepositories; intervalMs: number; subsetPercent: number; log: Logger },
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    await sleep(deps.intervalMs * (0.5 + Math.random() / 2), signal);
    if (signal.aborted) return;
    const namespaces = new Set(deps.volumes.list().filter((v) => v.spec.nodeName === deps.node).map((v) => v.spec.claimRef.namespace));
    for (const namespace of namespaces) {
      try {
        const { restic } = await deps.repos.forNamespace(namespace);
        await restic.check(deps.subsetPercent);
        checkOk.set({ namespace }, 1);
        deps.log.info({ namespace }, "repository check passed");
      } catch (err) {
        checkOk.set({ namespace }, 0);
        deps.log.error({ namespace, err: err instanceof Error ? err.message : String(err) }, "repository check failed");
      }
      checkTime.set({ namespace }, Date.now() / 1000);
    }
  }
}
