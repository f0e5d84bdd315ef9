import { mergePatch, type KubeClients } from "../../lib/k8s/client";
import { findCondition } from "../../lib/k8s/conditions";
import { waitFor } from "../../lib/k8s/wait";
import { PAAS_API_VERSION, PAAS_GROUP, PAAS_VERSION } from "../shared/labels";
import type { KafkaSpecInput } from "./test-fixtures";
import { KAFKA_KIND, KAFKA_PLURAL, type KafkaCluster, type KafkaClusterStatus } from "./types";

// Helpers of the Kafka integration tests and the benchmark: KafkaClusters through the real API.

const api = { group: PAAS_GROUP, version: PAAS_VERSION, plural: KAFKA_PLURAL };

/** Requests small enough for hundreds of members on the local cluster's simulated nodes. */
export const SMALL: KafkaSpecInput = {
  resources: { requests: { cpu: "10m", memory: "128Mi" } },
  controllers: { resources: { requests: { cpu: "10m", memory: "128Mi" } } },
  storage: { size: "1Gi" },
};

/** A one-node cluster (combined controller and broker, replication 1): the cheapest that runs. */
export const TINY: KafkaSpecInput = {
  ...SMALL,
  replicas: 1,
  controllers: { mode: "Combined", replicas: 1 },
  replication: { factor: 1, minInSync: 1 },
};

export async function createKafka(kube: KubeClients, namespace: string, name: string, spec: KafkaSpecInput): Promise<KafkaCluster> {
  return (await kube.custom.createNamespacedCustomObject({
    ...api,
    namespace,
    body: { apiVersion: PAAS_API_VERSION, kind: KAFKA_KIND, metadata: { name, namespace }, spec },
  })) as KafkaCluster;
}

export async function getKafka(kube: KubeClients, namespace: string, name: string): Promise<KafkaCluster> {
  return (await kube.custom.getNamespacedCustomObject({ ...api, namespace, name })) as KafkaCluster;
}

/** Merge-patches the spec (as `kubectl patch --type merge` would). */
export async function patchKafkaSpec(kube: KubeClients, namespace: string, name: string, spec: KafkaSpecInput): Promise<KafkaCluster> {
  return (await kube.custom.patchNamespacedCustomObject({ ...api, namespace, name, body: { spec } }, mergePatch)) as KafkaCluster;
}

/** Sets spec.replicas through the scale subresource (as `kubectl scale` does). */
export async function scaleKafka(kube: KubeClients, namespace: string, name: string, replicas: number): Promise<void> {
  await kube.custom.patchNamespacedCustomObjectScale({ ...api, namespace, name, body: { spec: { replicas } } }, mergePatch);
}

export async function deleteKafka(kube: KubeClients, namespace: string, name: string): Promise<void> {
  await kube.custom.deleteNamespacedCustomObject({ ...api, namespace, name });
}

/** Waits until the cluster's status (of the current generation) says Running and Ready. */
export async function waitRunning(kube: KubeClients, namespace: string, name: string, timeoutMs = 120_000): Promise<KafkaCluster> {
  return waitForKafka(kube, namespace, name, (s) => s.phase === "Running" && findCondition(s.conditions, "Ready")?.status === "True", "Running and Ready", timeoutMs);
}

/**
 * Waits until `done` holds for the cluster's status, counting only a status written for the
 * current generation (an older one describes the spec before the last change).
 */
export async function waitForKafka(
  kube: KubeClients,
  namespace: string,
  name: string,
  done: (status: KafkaClusterStatus) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<KafkaCluster> {
  return waitFor(
    async () => {
      const kc = await getKafka(kube, namespace, name);
      return kc.status && kc.status.observedGeneration === kc.metadata.generation && done(kc.status) ? kc : undefined;
    },
    { what: `KafkaCluster ${namespace}/${name} ${what}`, timeoutMs, intervalMs: 250 },
  );
}
