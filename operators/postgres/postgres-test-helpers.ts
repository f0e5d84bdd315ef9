import { mergePatch, type KubeClients } from "../../lib/k8s/client";
import { findCondition } from "../../lib/k8s/conditions";
import { waitFor } from "../../lib/k8s/wait";
import { PAAS_API_VERSION, PAAS_GROUP, PAAS_VERSION } from "../shared/labels";
import type { PostgresSpecInput } from "./test-fixtures";
import { POSTGRES_KIND, POSTGRES_PLURAL, type PostgresCluster, type PostgresClusterStatus } from "./types";

// Helpers of the PostgreSQL integration tests (and the chart's): PostgresClusters through the real API.

export const POSTGRES_API = { group: PAAS_GROUP, version: PAAS_VERSION, plural: POSTGRES_PLURAL };

/** Requests small enough for the local cluster's simulated nodes. */
export const SMALL_POSTGRES: PostgresSpecInput = { resources: { requests: { cpu: "10m", memory: "64Mi" } }, storage: { size: "1Gi" } };

export async function createPostgres(kube: KubeClients, namespace: string, name: string, spec: PostgresSpecInput): Promise<PostgresCluster> {
  return (await kube.custom.createNamespacedCustomObject({
    ...POSTGRES_API,
    namespace,
    body: { apiVersion: PAAS_API_VERSION, kind: POSTGRES_KIND, metadata: { name, namespace }, spec },
  })) as PostgresCluster;
}

/** Merge-patches the spec (as `kubectl patch --type merge` would). */
export async function patchPostgres(kube: KubeClients, namespace: string, name: string, spec: PostgresSpecInput): Promise<PostgresCluster> {
  return (await kube.custom.patchNamespacedCustomObject({ ...POSTGRES_API, namespace, name, body: { spec } }, mergePatch)) as PostgresCluster;
}

export const postgresRunning = (s: PostgresClusterStatus): boolean => s.phase === "Running" && findCondition(s.conditions, "Ready")?.status === "True";

/** Waits until `done` holds for a status written for the current generation. */
export async function waitForPostgres(
  kube: KubeClients,
  namespace: string,
  name: string,
  done: (s: PostgresClusterStatus) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<PostgresCluster> {
  return waitFor(
    async () => {
      const pg = (await kube.custom.getNamespacedCustomObject({ ...POSTGRES_API, namespace, name })) as PostgresCluster;
      return pg.status && pg.status.observedGeneration === pg.metadata.generation && done(pg.status) ? pg : undefined;
    },
    { what: `PostgresCluster ${namespace}/${name} ${what}`, timeoutMs, intervalMs: 250 },
  );
}
