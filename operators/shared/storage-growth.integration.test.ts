import path from "node:path";
import { PatchStrategy, type KubernetesObject, type V1Pod, type V1StatefulSet } from "@kubernetes/client-node";
import { beforeAll, describe, expect, inject } from "vitest";
import { kubeClients, loadKubeConfig, mergePatch, type KubeClients } from "../../lib/k8s/client";
import { findCondition, type Condition } from "../../lib/k8s/conditions";
import { apiMessage } from "../../lib/k8s/errors";
import { waitFor } from "../../lib/k8s/wait";
import { parseQuantityBytes } from "../../lib/xlss/capacity";
import { readState } from "../../local-cluster/cluster";
import { kubeTest } from "../../test/kube";
import { eventsOnceRecorded, waitGone } from "../../test/workloads";
import { SMALL as SMALL_KAFKA } from "../kafka/kafka-test-helpers";
import { KAFKA_KIND, KAFKA_PLURAL } from "../kafka/types";
import { SMALL_POSTGRES } from "../postgres/postgres-test-helpers";
import { POSTGRES_KIND, POSTGRES_PLURAL } from "../postgres/types";
import { REDIS_KIND, REDIS_PLURAL } from "../redis/types";
import { installOperatorCrds, killOperators, restartOperators } from "../test-operator";
import { PAAS_API_VERSION, PAAS_GROUP, PAAS_VERSION } from "./labels";
import { watchPodChurn } from "./pod-churn";

// Growing volumes (operators/shared/storage-growth.ts) on the local cluster, with the real
// provisioner growing the volumes: the shared behaviour once with Redis (claims raised, retained
// claims of scaled-down ordinals too, StatefulSet re-created with the same pods running, the API
// server's refusals, an operator killed between the orphan delete and the create, a failed resize),
// then Kafka brokers with dedicated controllers, and PostgreSQL; and the console's dry-run of a
// change request that grows the storage.

/** Generous: the machine is shared and has two cores. */
const TIMEOUT_MS = 600_000;

interface Kind {
  kind: string;
  plural: string;
}
const REDIS: Kind = { kind: REDIS_KIND, plural: REDIS_PLURAL };
const KAFKA: Kind = { kind: KAFKA_KIND, plural: KAFKA_PLURAL };
const POSTGRES: Kind = { kind: POSTGRES_KIND, plural: POSTGRES_PLURAL };
const SMALL_REDIS = {
  resources: { requests: { cpu: "10m", memory: "64Mi" } },
  sentinel: { resources: { requests: { cpu: "10m", memory: "32Mi" } } },
  storage: { size: "1Gi" },
};

interface Resource {
  metadata: { generation?: number; uid?: string };
  status?: { phase?: string; observedGeneration?: number; conditions?: Condition[] };
}
const api = (k: Kind) => ({ group: PAAS_GROUP, version: PAAS_VERSION, plural: k.plural });
const create = (kube: KubeClients, k: Kind, namespace: string, name: string, spec: object) =>
  kube.custom.createNamespacedCustomObject({ ...api(k), namespace, body: { apiVersion: PAAS_API_VERSION, kind: k.kind, metadata: { name, namespace }, spec } });
const patch = (kube: KubeClients, k: Kind, namespace: string, name: string, spec: object) =>
  kube.custom.patchNamespacedCustomObject({ ...api(k), namespace, name, body: { spec } }, mergePatch);

/** Waits until `done` holds for a status written for the current generation (generous: the machine is shared). */
async function waitStatus(kube: KubeClients, k: Kind, namespace: string, name: string, done: (r: Resource) => boolean, what: string): Promise<Resource> {
  return waitFor(
    async () => {
      const r = (await kube.custom.getNamespacedCustomObject({ ...api(k), namespace, name })) as Resource;
      return r.status && r.status.observedGeneration === r.metadata.generation && done(r) ? r : undefined;
    },
    { what: `${k.kind} ${namespace}/${name} ${what}`, timeoutMs: 240_000, intervalMs: 250 },
  );
}
const running = (r: Resource) => r.status?.phase === "Running" && findCondition(r.status.conditions, "Ready")?.status === "True";

/** Pods by name with what a restart would change: uid and start time. */
async function podIdentities(kube: KubeClients, namespace: string): Promise<Record<string, string>> {
  const pods = (await kube.core.listNamespacedPod({ namespace })).items;
  return Object.fromEntries(pods.map((p: V1Pod) => [p.metadata?.name ?? "", `${p.metadata?.uid} ${new Date(p.status?.startTime ?? 0).toISOString()}`]));
}

const stsSize = (sts: V1StatefulSet) => sts.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage;

/**
 * The StatefulSet `name` once the operator has created it again (a uid other than `oldUid`) and the
 * StatefulSet controller has synced it (adopted the running pods, written its status). The cluster
 * reports Running once its volumes have grown, which may be before either has happened.
 */
const recreated = (kube: KubeClients, namespace: string, name: string, oldUid: string | undefined) =>
  waitFor(
    async () => {
      const sts = await kube.apps.readNamespacedStatefulSet({ name, namespace });
      const synced = (sts.status?.observedGeneration ?? 0) >= (sts.metadata?.generation ?? 1);
      return sts.metadata?.uid !== oldUid && !sts.metadata?.deletionTimestamp && synced ? sts : undefined;
    },
    { what: `StatefulSet ${namespace}/${name} created again and synced`, timeoutMs: 120_000 },
  );

/** The claims of the namespace: name → [requested, capacity]. */
async function claims(kube: KubeClients, namespace: string): Promise<Record<string, [string | undefined, string | undefined]>> {
  const items = (await kube.core.listNamespacedPersistentVolumeClaim({ namespace })).items;
  return Object.fromEntries(items.map((c) => [c.metadata?.name ?? "", [c.spec?.resources?.requests?.storage, c.status?.capacity?.storage]]));
}
const atLeast = (q: string | undefined, size: string) => (parseQuantityBytes(q) ?? 0) >= (parseQuantityBytes(size) ?? Infinity);

describe("growing a cluster's volumes", () => {
  beforeAll(async () => {
    const kubeconfig = inject("kubeconfig");
    const state = readState(path.dirname(kubeconfig));
    if (!state) throw new Error(`no running local cluster for ${kubeconfig}`);
    await installOperatorCrds(kubeClients(loadKubeConfig(kubeconfig)));
    await restartOperators(state);
  });

  kubeTest("Redis: raises every claim (a retained one of a scaled-down server too), re-creates the StatefulSet, restarts nothing, ends Ready at the new size", async ({ kube, namespace }) => {
    await create(kube, REDIS, namespace, "cache", SMALL_REDIS);
    await waitStatus(kube, REDIS, namespace, "cache", running, "Running");
    await kube.custom.patchNamespacedCustomObjectScale({ ...api(REDIS), namespace, name: "cache", body: { spec: { replicas: 2 } } }, mergePatch);
    await waitStatus(kube, REDIS, namespace, "cache", (r) => running(r), "Running with 2 servers");
    await waitGone(() => kube.core.readNamespacedPod({ name: "cache-redis-2", namespace }), "cache-redis-2", 120_000);
    const oldSts = await kube.apps.readNamespacedStatefulSet({ name: "cache-redis", namespace });
    const before = await podIdentities(kube, namespace);
    const churn = await watchPodChurn(kube, namespace);

    await patch(kube, REDIS, namespace, "cache", { storage: { size: "3Gi" } });
    const rc = await waitStatus(kube, REDIS, namespace, "cache", running, "Running after growing");
    await waitFor(async () => Object.values(await claims(kube, namespace)).every(([, cap]) => atLeast(cap, "3Gi")), { what: "every claim at 3Gi", timeoutMs: 120_000 });
    const sts = await recreated(kube, namespace, "cache-redis", oldSts.metadata?.uid);
    await churn.stop();

    // Every claim raised, data-cache-redis-2 (retained after the scale-in, no pod) included.
    const grown = await claims(kube, namespace);
    expect(Object.keys(grown).sort()).toEqual(["data-cache-redis-0", "data-cache-redis-1", "data-cache-redis-2"]);
    for (const [name, [requested, capacity]] of Object.entries(grown)) {
      expect(requested, name).toBe("3Gi");
      expect(atLeast(capacity, "3Gi"), `${name} capacity ${capacity}`).toBe(true);
    }
    // A new StatefulSet with the new template, owning the very same pods.
    expect(sts.metadata?.uid).not.toBe(oldSts.metadata?.uid);
    expect(stsSize(sts)).toBe("3Gi");
    expect(sts.spec?.template).toEqual(oldSts.spec?.template);
    expect(await podIdentities(kube, namespace)).toEqual(before);
    expect(churn.terminated).toEqual([]);
    const server = await kube.core.readNamespacedPod({ name: "cache-redis-0", namespace });
    expect(server.metadata?.ownerReferences?.map((o) => o.uid)).toEqual([sts.metadata?.uid]);
    expect(server.metadata?.labels?.["controller-revision-hash"]).toBe(sts.status?.updateRevision);
    expect(findCondition(rc.status?.conditions, "Degraded")?.status).toBe("False");
    const [event] = await eventsOnceRecorded(kube, namespace, "cache", "ResizingVolumes");
    expect(event?.message).toBe("growing the volumes of cache-redis (data from 1Gi to 3Gi): claims raised; the StatefulSet is re-created with the new size, its pods keep running");

    // Shrinking and changing the class are refused by the API server, saying why.
    await expect(patch(kube, REDIS, namespace, "cache", { storage: { size: "2Gi" } })).rejects.toSatisfy((e) =>
      apiMessage(e).includes("spec.storage.size cannot shrink: 3Gi → 2Gi; volumes can only grow"),
    );
    await expect(patch(kube, REDIS, namespace, "cache", { storage: { class: "xlss-local-retain" } })).rejects.toSatisfy((e) =>
      apiMessage(e).includes("spec.storage.class cannot be changed after creation (xlss-local → xlss-local-retain): volumes stay in the StorageClass they were made in"),
    );
    // The same size in other units is no shrink.
    await patch(kube, REDIS, namespace, "cache", { storage: { size: "3072Mi" } });
  }, TIMEOUT_MS);

  kubeTest("Redis: an operator killed between the orphan delete and the create creates the StatefulSet at its next start", async ({ kube, namespace, cluster }) => {
    await create(kube, REDIS, namespace, "cache", SMALL_REDIS);
    await waitStatus(kube, REDIS, namespace, "cache", running, "Running");
    const before = await podIdentities(kube, namespace);
    const churn = await watchPodChurn(kube, namespace);
    await killOperators(cluster);
    try {
      // What the operator does first, then the crash: the spec grown, the StatefulSet deleted with
      // its pods and claims orphaned, the claims not raised yet (they are raised after the create).
      await patch(kube, REDIS, namespace, "cache", { storage: { size: "2Gi" } });
      await kube.apps.deleteNamespacedStatefulSet({ name: "cache-redis", namespace, body: { propagationPolicy: "Orphan" } });
      await waitGone(() => kube.apps.readNamespacedStatefulSet({ name: "cache-redis", namespace }), "StatefulSet cache-redis", 120_000);
    } finally {
      await restartOperators(cluster);
    }
    await waitFor(async () => stsSize(await kube.apps.readNamespacedStatefulSet({ name: "cache-redis", namespace })) === "2Gi", { what: "cache-redis created again at 2Gi", timeoutMs: 120_000 });
    await waitStatus(kube, REDIS, namespace, "cache", running, "Running after the restart");
    await waitFor(async () => Object.values(await claims(kube, namespace)).every(([req, cap]) => req === "2Gi" && atLeast(cap, "2Gi")), { what: "every claim at 2Gi", timeoutMs: 120_000 });
    await churn.stop();
    expect(await podIdentities(kube, namespace)).toEqual(before);
    expect(churn.terminated).toEqual([]);
  }, TIMEOUT_MS);

  kubeTest("Redis: a volume that cannot grow (no room on its node) makes the cluster Degraded while it says Resizing", async ({ kube, namespace }) => {
    await create(kube, REDIS, namespace, "cache", { ...SMALL_REDIS, replicas: 1 });
    await waitStatus(kube, REDIS, namespace, "cache", running, "Running");
    await patch(kube, REDIS, namespace, "cache", { storage: { size: "100Ti" } });
    const rc = await waitStatus(kube, REDIS, namespace, "cache", (r) => r.status?.phase === "Degraded", "Degraded");
    expect(findCondition(rc.status?.conditions, "Degraded")).toMatchObject({ status: "True", reason: "VolumeResizeFailed" });
    expect(findCondition(rc.status?.conditions, "Degraded")?.message).toMatch(/^data-cache-redis-0 could not grow to 100Ti: .+/);
    expect(findCondition(rc.status?.conditions, "Progressing")).toMatchObject({ status: "True", reason: "Resizing", message: "growing 1 volume of cache-redis from 1Gi to 100Ti: 0 done" });
    // The server keeps running on its old volume.
    expect(findCondition(rc.status?.conditions, "Ready")?.status).toBe("True");
  }, TIMEOUT_MS);

  kubeTest("Kafka: grows the brokers' and the dedicated controllers' volumes without a restart; a controller shrink is refused", async ({ kube, namespace }) => {
    await create(kube, KAFKA, namespace, "orders", { ...SMALL_KAFKA, replicas: 3, controllers: { ...SMALL_KAFKA.controllers, mode: "Separate", replicas: 3, storage: { size: "1Gi" } } });
    await waitStatus(kube, KAFKA, namespace, "orders", running, "Running");
    const before = await podIdentities(kube, namespace);
    const churn = await watchPodChurn(kube, namespace);
    const oldSets = await Promise.all(["orders-broker", "orders-controller"].map((name) => kube.apps.readNamespacedStatefulSet({ name, namespace })));

    await patch(kube, KAFKA, namespace, "orders", { storage: { size: "3Gi" }, controllers: { storage: { size: "2Gi" } } });
    await waitStatus(kube, KAFKA, namespace, "orders", running, "Running after growing");
    const want = (name: string) => (name.includes("controller") ? "2Gi" : "3Gi");
    await waitFor(async () => Object.entries(await claims(kube, namespace)).every(([name, [req, cap]]) => req === want(name) && atLeast(cap, want(name))), {
      what: "broker claims at 3Gi, controller claims at 2Gi",
      timeoutMs: 180_000,
    });
    const newSets = await Promise.all(oldSets.map((old) => recreated(kube, namespace, old.metadata?.name ?? "", old.metadata?.uid)));
    await churn.stop();
    expect(Object.keys(await claims(kube, namespace)).sort()).toEqual([
      "data-orders-broker-0",
      "data-orders-broker-1",
      "data-orders-broker-2",
      "data-orders-controller-0",
      "data-orders-controller-1",
      "data-orders-controller-2",
    ]);
    for (const [i, old] of oldSets.entries()) {
      const name = old.metadata?.name ?? "";
      const sts = newSets[i]!;
      expect(sts.metadata?.uid, name).not.toBe(old.metadata?.uid);
      expect(stsSize(sts), name).toBe(want(name));
      expect(sts.spec?.template, name).toEqual(old.spec?.template);
    }
    expect(await podIdentities(kube, namespace)).toEqual(before);
    expect(churn.terminated).toEqual([]);
    await expect(patch(kube, KAFKA, namespace, "orders", { controllers: { storage: { size: "1Gi" } } })).rejects.toSatisfy((e) =>
      apiMessage(e).includes("spec.controllers.storage.size cannot shrink: 2Gi → 1Gi; volumes can only grow"),
    );
    await expect(patch(kube, KAFKA, namespace, "orders", { storage: { size: "1Gi" } })).rejects.toSatisfy((e) =>
      apiMessage(e).includes("spec.storage.size cannot shrink: 3Gi → 1Gi; volumes can only grow"),
    );
  }, TIMEOUT_MS);

  kubeTest("PostgreSQL: grows every server's volume without a restart; a shrink is refused", async ({ kube, namespace }) => {
    await create(kube, POSTGRES, namespace, "accounts", { ...SMALL_POSTGRES, replicas: 2 });
    await waitStatus(kube, POSTGRES, namespace, "accounts", running, "Running");
    const before = await podIdentities(kube, namespace);
    const oldSets = (await kube.apps.listNamespacedStatefulSet({ namespace })).items;
    expect(oldSets.map((s) => s.metadata?.name).sort()).toEqual(["accounts-primary", "accounts-replica"]);
    const churn = await watchPodChurn(kube, namespace);
    await patch(kube, POSTGRES, namespace, "accounts", { storage: { size: "2Gi" } });
    await waitStatus(kube, POSTGRES, namespace, "accounts", running, "Running after growing");
    await waitFor(async () => Object.values(await claims(kube, namespace)).every(([req, cap]) => req === "2Gi" && atLeast(cap, "2Gi")), { what: "every claim at 2Gi", timeoutMs: 120_000 });
    const sets = await Promise.all(oldSets.map((old) => recreated(kube, namespace, old.metadata?.name ?? "", old.metadata?.uid)));
    await churn.stop();
    for (const sts of sets) expect(stsSize(sts), sts.metadata?.name).toBe("2Gi");
    expect(await podIdentities(kube, namespace)).toEqual(before);
    expect(churn.terminated).toEqual([]);
    await expect(patch(kube, POSTGRES, namespace, "accounts", { storage: { size: "1Gi" } })).rejects.toSatisfy((e) =>
      apiMessage(e).includes("spec.storage.size cannot shrink: 2Gi → 1Gi; volumes can only grow"),
    );
  }, TIMEOUT_MS);

  kubeTest("the console's dry-run of a change request passes when it grows spec.storage.size, and shows the refusal when it shrinks it", async ({ kube, namespace }) => {
    await create(kube, REDIS, namespace, "cache", { ...SMALL_REDIS, replicas: 1, storage: { size: "2Gi" } });
    // What lib/console/apply.ts serverSideApply does for a dry-run (lib/console cannot be imported
    // outside Next.js: it is server-only): the request's whole spec, server-side applied with force
    // as xlss-console, dryRun=All.
    const consoleDryRun = (size: string) =>
      kube.objects.patch(
        { apiVersion: PAAS_API_VERSION, kind: REDIS_KIND, metadata: { name: "cache", namespace }, spec: { ...SMALL_REDIS, replicas: 1, storage: { size } } } as KubernetesObject,
        undefined,
        "All",
        "xlss-console",
        true,
        PatchStrategy.ServerSideApply,
      );
    const grown = (await consoleDryRun("5Gi")) as KubernetesObject & { spec: { storage: { size: string } } };
    expect(grown.spec.storage.size).toBe("5Gi");
    await expect(consoleDryRun("1Gi")).rejects.toSatisfy((e) => apiMessage(e).includes("spec.storage.size cannot shrink: 2Gi → 1Gi; volumes can only grow"));
    // Nothing was stored.
    const stored = (await kube.custom.getNamespacedCustomObject({ ...api(REDIS), namespace, name: "cache" })) as { spec: { storage: { size: string } } };
    expect(stored.spec.storage.size).toBe("2Gi");
  }, TIMEOUT_MS);
});
