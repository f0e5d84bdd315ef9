import path from "node:path";
import { beforeAll, describe, expect, inject } from "vitest";
import { kubeClients, loadKubeConfig, mergePatch, type KubeClients } from "../../lib/k8s/client";
import { findCondition } from "../../lib/k8s/conditions";
import { apiMessage } from "../../lib/k8s/errors";
import { waitFor } from "../../lib/k8s/wait";
import { readState } from "../../local-cluster/cluster";
import { kubeTest } from "../../test/kube";
import { eventsOnceRecorded, waitGone } from "../../test/workloads";
import { PAAS_API_VERSION, PAAS_GROUP, PAAS_VERSION } from "../shared/labels";
import { watchPodChurn } from "../shared/pod-churn";
import { installOperatorCrds, restartOperators } from "../test-operator";
import type { RedisSpecInput } from "./test-fixtures";
import { REDIS_KIND, REDIS_PLURAL, type RedisCluster, type RedisClusterStatus } from "./types";

const api = { group: PAAS_GROUP, version: PAAS_VERSION, plural: REDIS_PLURAL };
const SMALL: RedisSpecInput = {
  resources: { requests: { cpu: "10m", memory: "64Mi" } },
  sentinel: { resources: { requests: { cpu: "10m", memory: "32Mi" } } },
  storage: { size: "1Gi" },
};

const createRedis = async (kube: KubeClients, namespace: string, name: string, spec: RedisSpecInput) =>
  (await kube.custom.createNamespacedCustomObject({ ...api, namespace, body: { apiVersion: PAAS_API_VERSION, kind: REDIS_KIND, metadata: { name, namespace }, spec } })) as RedisCluster;
const patchRedis = (kube: KubeClients, namespace: string, name: string, spec: RedisSpecInput) =>
  kube.custom.patchNamespacedCustomObject({ ...api, namespace, name, body: { spec } }, mergePatch);

/** Waits until `done` holds for a status written for the current generation. */
async function waitForRedis(kube: KubeClients, namespace: string, name: string, done: (s: RedisClusterStatus) => boolean, what: string): Promise<RedisCluster> {
  return waitFor(
    async () => {
      const rc = (await kube.custom.getNamespacedCustomObject({ ...api, namespace, name })) as RedisCluster;
      return rc.status && rc.status.observedGeneration === rc.metadata.generation && done(rc.status) ? rc : undefined;
    },
    { what: `RedisCluster ${namespace}/${name} ${what}`, timeoutMs: 120_000 },
  );
}
const running = (s: RedisClusterStatus) => s.phase === "Running" && findCondition(s.conditions, "Ready")?.status === "True";

describe("the RedisCluster operator", () => {
  beforeAll(async () => {
    const kubeconfig = inject("kubeconfig");
    const state = readState(path.dirname(kubeconfig));
    if (!state) throw new Error(`no running local cluster for ${kubeconfig}`);
    await installOperatorCrds(kubeClients(loadKubeConfig(kubeconfig)));
    await restartOperators(state);
  });

  kubeTest("creates servers and sentinels with owner references; Ready with the Sentinel endpoint", async ({ kube, namespace }) => {
    const created = await createRedis(kube, namespace, "cache", { ...SMALL, backup: { schedule: "@every 1h" } });
    const rc = await waitForRedis(kube, namespace, "cache", running, "Running");
    const owner = { apiVersion: PAAS_API_VERSION, kind: REDIS_KIND, name: "cache", uid: created.metadata.uid, controller: true, blockOwnerDeletion: true };
    const objects = [
      await kube.core.readNamespacedConfigMap({ name: "cache-config", namespace }),
      await kube.core.readNamespacedService({ name: "cache-headless", namespace }),
      await kube.core.readNamespacedService({ name: "cache-sentinel", namespace }),
      await kube.apps.readNamespacedStatefulSet({ name: "cache-redis", namespace }),
      await kube.apps.readNamespacedStatefulSet({ name: "cache-sentinel", namespace }),
      await kube.policy.readNamespacedPodDisruptionBudget({ name: "cache-redis", namespace }),
      await kube.policy.readNamespacedPodDisruptionBudget({ name: "cache-sentinel", namespace }),
    ];
    for (const o of objects) expect(o.metadata?.ownerReferences, o.metadata?.name).toEqual([owner]);
    const pods = (await kube.core.listNamespacedPod({ namespace })).items;
    expect(pods.map((p) => p.metadata?.name).sort()).toEqual(["cache-redis-0", "cache-redis-1", "cache-redis-2", "cache-sentinel-0", "cache-sentinel-1", "cache-sentinel-2"]);
    for (const p of pods) {
      expect(p.status?.phase).toBe("Running");
      expect(p.spec?.schedulerName).toBe("xlss-scheduler");
      // Only servers hold data, so only they carry the backup policy.
      expect(p.metadata?.annotations?.["backup.xlss.io/schedule"]).toBe(p.metadata?.name?.startsWith("cache-redis") ? "@every 1h" : undefined);
    }
    expect((await kube.core.listNamespacedPersistentVolumeClaim({ namespace })).items.map((c) => c.metadata?.name).sort()).toEqual(["data-cache-redis-0", "data-cache-redis-1", "data-cache-redis-2"]);
    expect(rc.status).toMatchObject({
      version: "7.4.2",
      replicas: 3,
      readyReplicas: 3,
      sentinel: `cache-sentinel.${namespace}.svc:26379`,
      endpoints: { sentinel: `cache-sentinel.${namespace}.svc:26379`, masterName: "cache" },
    });
    expect(rc.status?.members?.every((m) => m.ready && m.upToDate && m.node && m.zone)).toBe(true);
    const [event] = await eventsOnceRecorded(kube, namespace, "cache", "Created");
    expect(event?.message).toBe(`3 servers ready, Redis 7.4.2; Sentinel cache-sentinel.${namespace}.svc:26379, master name cache`);
  });

  kubeTest("restarts servers one at a time on a config change, sentinels first on an upgrade", async ({ kube, namespace }) => {
    await createRedis(kube, namespace, "cache", SMALL);
    await waitForRedis(kube, namespace, "cache", running, "Running");

    let churn = await watchPodChurn(kube, namespace);
    await patchRedis(kube, namespace, "cache", { config: { "maxmemory-policy": "allkeys-lru" } });
    await waitForRedis(kube, namespace, "cache", running, "Running after the change");
    await churn.stop();
    expect(churn.terminated).toEqual(["cache-redis-2", "cache-redis-1", "cache-redis-0"]);
    expect(churn.maxDown).toBe(1);

    churn = await watchPodChurn(kube, namespace);
    await patchRedis(kube, namespace, "cache", { version: "8.0.0" });
    const rc = await waitForRedis(kube, namespace, "cache", (s) => running(s) && s.version === "8.0.0", "on 8.0.0");
    await churn.stop();
    expect(churn.terminated).toEqual(["cache-sentinel-2", "cache-sentinel-1", "cache-sentinel-0", "cache-redis-2", "cache-redis-1", "cache-redis-0"]);
    expect(churn.maxDown).toBe(1);
    expect(rc.status?.members?.every((m) => m.version === "8.0.0")).toBe(true);
  });

  kubeTest("scales out and in; the API server refuses fewer servers than min-replicas-to-write needs", async ({ kube, namespace }) => {
    await createRedis(kube, namespace, "cache", { ...SMALL, config: { "min-replicas-to-write": 1 } });
    await waitForRedis(kube, namespace, "cache", running, "Running");
    await kube.custom.patchNamespacedCustomObjectScale({ ...api, namespace, name: "cache", body: { spec: { replicas: 5 } } }, mergePatch);
    await waitForRedis(kube, namespace, "cache", (s) => running(s) && s.readyReplicas === 5, "5 servers");
    await kube.custom.patchNamespacedCustomObjectScale({ ...api, namespace, name: "cache", body: { spec: { replicas: 2 } } }, mergePatch);
    await waitForRedis(kube, namespace, "cache", (s) => running(s) && s.replicas === 2, "2 servers");
    await waitGone(() => kube.core.readNamespacedPod({ name: "cache-redis-2", namespace }), "cache-redis-2");
    await expect(kube.custom.patchNamespacedCustomObjectScale({ ...api, namespace, name: "cache", body: { spec: { replicas: 1 } } }, mergePatch)).rejects.toSatisfy((e) =>
      apiMessage(e).includes("config min-replicas-to-write must be less than spec.replicas: the master would refuse every write"),
    );
  });

  kubeTest("deletes what it owns, keeping or deleting the servers' claims as claimRetention says", async ({ kube, namespace }) => {
    const one: RedisSpecInput = { ...SMALL, replicas: 1 };
    await createRedis(kube, namespace, "kept", one);
    await createRedis(kube, namespace, "dropped", { ...one, storage: { size: "1Gi", claimRetention: { whenDeleted: "Delete" } } });
    await waitForRedis(kube, namespace, "kept", running, "Running");
    await waitForRedis(kube, namespace, "dropped", running, "Running");
    for (const name of ["kept", "dropped"]) await kube.custom.deleteNamespacedCustomObject({ ...api, namespace, name });
    for (const name of ["kept", "dropped"]) {
      await waitGone(() => kube.apps.readNamespacedStatefulSet({ name: `${name}-redis`, namespace }), `StatefulSet ${name}-redis`);
      await waitGone(() => kube.apps.readNamespacedStatefulSet({ name: `${name}-sentinel`, namespace }), `StatefulSet ${name}-sentinel`);
      await waitGone(() => kube.core.readNamespacedService({ name: `${name}-sentinel`, namespace }), `Service ${name}-sentinel`);
      await waitGone(() => kube.core.readNamespacedConfigMap({ name: `${name}-config`, namespace }), `ConfigMap ${name}-config`);
    }
    await waitGone(() => kube.core.readNamespacedPersistentVolumeClaim({ name: "data-dropped-redis-0", namespace }), "claim data-dropped-redis-0");
    expect((await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-kept-redis-0", namespace })).status?.phase).toBe("Bound");
  });

  kubeTest("rejects invalid specs with messages that say what is wrong", async ({ kube, namespace }) => {
    const invalid: [string, RedisSpecInput, string][] = [
      ["an unknown setting", { config: { maxmemry: "1gb" } }, "unknown Redis setting maxmemry (the supported settings are listed in docs/operators.md)"],
      ["a setting the operator manages", { config: { replicaof: "x 6379" } }, "spec.config cannot set replicaof: the operator sets it from Sentinel (the current master)"],
      ["a yes/no setting given true", { config: { appendonly: "true" } }, "invalid value of appendonly: expected yes or no"],
      ["a policy off the list", { config: { "maxmemory-policy": "lru" } }, "invalid value of maxmemory-policy: expected one of noeviction, allkeys-lru"],
      ["a malformed size", { config: { maxmemory: "1 gigabyte" } }, "invalid value of maxmemory: expected a size such as 2gb, 512mb or a number of bytes"],
      ["a malformed save", { config: { save: "every hour" } }, "invalid value of save: expected pairs of seconds and changes"],
      ["writes no replica could satisfy", { replicas: 2, config: { "min-replicas-to-write": 2 } }, "config min-replicas-to-write must be less than spec.replicas"],
      ["an even sentinel count", { sentinel: { replicas: 4 } }, 'spec.sentinel.replicas: Unsupported value: 4: supported values: "3", "5"'],
      ["ten servers", { replicas: 10 }, "spec.replicas: Invalid value: 10: spec.replicas in body should be less than or equal to 9"],
      ["an unknown version", { version: "6.2.0" as never }, 'spec.version: Unsupported value: "6.2.0"'],
    ];
    const problems: string[] = [];
    for (const [what, spec, message] of invalid) {
      try {
        await createRedis(kube, namespace, "bad", spec);
        problems.push(`${what}: accepted`);
      } catch (err) {
        if (!apiMessage(err).includes(message)) problems.push(`${what}: ${apiMessage(err)}`);
      }
    }
    expect(problems).toEqual([]);
    await createRedis(kube, namespace, "cache", { ...SMALL, version: "8.0.0" });
    await expect(patchRedis(kube, namespace, "cache", { version: "7.4.2" })).rejects.toSatisfy((e) => apiMessage(e).includes("downgrading Redis from 8.0.0 to 7.4.2 is not supported"));
  });
});
