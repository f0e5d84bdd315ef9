import path from "node:path";
import { beforeAll, expect, inject } from "vitest";
import { kubeClients, loadKubeConfig } from "../../lib/k8s/client";
import { findCondition } from "../../lib/k8s/conditions";
import { waitFor } from "../../lib/k8s/wait";
import { readState } from "../../local-cluster/cluster";
import { kubeTest } from "../../test/kube";
import { PAAS_GROUP, PAAS_VERSION } from "../shared/labels";
import { installOperatorCrds, restartOperators } from "../test-operator";
import { createKafka, TINY } from "./kafka-test-helpers";
import { KAFKA_PLURAL, type KafkaCluster } from "./types";

const COUNT = 200;

beforeAll(async () => {
  const kubeconfig = inject("kubeconfig");
  const state = readState(path.dirname(kubeconfig));
  if (!state) throw new Error(`no running local cluster for ${kubeconfig}`);
  await installOperatorCrds(kubeClients(loadKubeConfig(kubeconfig)));
  await restartOperators(state);
});

kubeTest(`${COUNT} KafkaClusters created at once all converge`, { timeout: 1_200_000 }, async ({ kube, namespace }) => {
  const t0 = Date.now();
  const names = Array.from({ length: COUNT }, (_, i) => `k${String(i).padStart(3, "0")}`);
  // 20 requests in flight, as many clients of the console would send.
  for (let i = 0; i < names.length; i += 20) await Promise.all(names.slice(i, i + 20).map((n) => createKafka(kube, namespace, n, TINY)));
  const created = (Date.now() - t0) / 1000;

  const running = await waitFor(
    async () => {
      const list = (await kube.custom.listNamespacedCustomObject({ group: PAAS_GROUP, version: PAAS_VERSION, plural: KAFKA_PLURAL, namespace })) as { items: KafkaCluster[] };
      const done = list.items.filter(
        (k) => k.status?.observedGeneration === k.metadata.generation && k.status?.phase === "Running" && findCondition(k.status?.conditions, "Ready")?.status === "True",
      );
      return done.length === COUNT ? done : undefined;
    },
    { what: `${COUNT} KafkaClusters Running`, timeoutMs: 1_000_000, intervalMs: 2000 },
  );
  console.log(`${COUNT} KafkaClusters: created in ${created.toFixed(1)} s, all Running and Ready ${((Date.now() - t0) / 1000).toFixed(1)} s after the first request`);
  for (const kc of running) {
    expect(kc.status?.bootstrapServers).toBe(`${kc.metadata.name}-bootstrap.${namespace}.svc:9092`);
    expect(kc.status?.members?.[0]?.node).toMatch(/^.+$/);
  }
});
