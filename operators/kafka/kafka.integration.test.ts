import path from "node:path";
import type { V1Pod } from "@kubernetes/client-node";
import { beforeAll, describe, expect, inject } from "vitest";
import { kubeClients, loadKubeConfig } from "../../lib/k8s/client";
import { readState } from "../../local-cluster/cluster";
import { apiMessage } from "../../lib/k8s/errors";
import { findCondition } from "../../lib/k8s/conditions";
import { waitFor } from "../../lib/k8s/wait";
import { kubeTest } from "../../test/kube";
import { eventsAbout, eventsOnceRecorded, waitGone } from "../../test/workloads";
import { watchPodChurn } from "../shared/pod-churn";
import { installOperatorCrds, killOperators, restartOperators } from "../test-operator";
import {
  createKafka,
  deleteKafka,
  getKafka,
  patchKafkaSpec,
  scaleKafka,
  SMALL,
  TINY,
  waitForKafka,
  waitRunning,
} from "./kafka-test-helpers";
import type { KafkaSpecInput } from "./test-fixtures";

const byName = (pods: V1Pod[]) => pods.map((p) => p.metadata?.name).sort();

describe("the KafkaCluster operator", () => {
  // The CRD as it is now, and an operator running the code as it is now.
  beforeAll(async () => {
    const kubeconfig = inject("kubeconfig");
    const state = readState(path.dirname(kubeconfig));
    if (!state) throw new Error(`no running local cluster for ${kubeconfig}`);
    await installOperatorCrds(kubeClients(loadKubeConfig(kubeconfig)));
    await restartOperators(state);
  });

  kubeTest("creates every object with owner references; pods run on the xlss-scheduler; Ready with endpoints", async ({ kube, namespace }) => {
    const created = await createKafka(kube, namespace, "orders", { ...SMALL, backup: { schedule: "@every 1h", retention: "daily=7" } });
    const kc = await waitRunning(kube, namespace, "orders");

    const owned = { apiVersion: "paas.xlss.io/v1alpha1", kind: "KafkaCluster", name: "orders", uid: created.metadata.uid, controller: true, blockOwnerDeletion: true };
    const objects = [
      await kube.core.readNamespacedConfigMap({ name: "orders-config", namespace }),
      await kube.core.readNamespacedService({ name: "orders-headless", namespace }),
      await kube.core.readNamespacedService({ name: "orders-bootstrap", namespace }),
      await kube.apps.readNamespacedStatefulSet({ name: "orders-controller", namespace }),
      await kube.apps.readNamespacedStatefulSet({ name: "orders-broker", namespace }),
      await kube.policy.readNamespacedPodDisruptionBudget({ name: "orders-controller", namespace }),
      await kube.policy.readNamespacedPodDisruptionBudget({ name: "orders-broker", namespace }),
    ];
    for (const o of objects) {
      expect(o.metadata?.ownerReferences, o.metadata?.name).toEqual([owned]);
      expect(o.metadata?.managedFields?.some((f) => f.manager === "xlss-operators" && f.operation === "Apply"), o.metadata?.name).toBe(true);
    }

    const pods = (await kube.core.listNamespacedPod({ namespace })).items;
    expect(byName(pods)).toEqual(["orders-broker-0", "orders-broker-1", "orders-broker-2", "orders-controller-0", "orders-controller-1", "orders-controller-2"]);
    for (const p of pods) {
      expect(p.status?.phase).toBe("Running");
      expect(p.spec?.schedulerName).toBe("xlss-scheduler");
      expect(p.metadata?.annotations).toMatchObject({ "backup.xlss.io/schedule": "@every 1h", "backup.xlss.io/retention": "daily=7", "backup.xlss.io/enabled": "true" });
    }
    const claims = (await kube.core.listNamespacedPersistentVolumeClaim({ namespace })).items;
    expect(claims.map((c) => [c.metadata?.name, c.spec?.storageClassName, c.status?.phase]).sort()).toEqual(
      ["broker-0", "broker-1", "broker-2", "controller-0", "controller-1", "controller-2"].map((m) => [`data-orders-${m}`, "xlss-local", "Bound"]),
    );

    const nodes = new Map((await kube.core.listNode()).items.map((n) => [n.metadata?.name, n.metadata?.labels?.["topology.kubernetes.io/zone"]]));
    expect(kc.status).toMatchObject({
      phase: "Running",
      version: "4.1.1",
      replicas: 3,
      readyReplicas: 3,
      bootstrapServers: `orders-bootstrap.${namespace}.svc:9092`,
      endpoints: [{ listener: "plain", bootstrapServers: `orders-bootstrap.${namespace}.svc:9092`, tls: false }],
      replication: { factor: 3, minInSync: 2 },
    });
    expect(kc.status?.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(kc.status?.members).toHaveLength(6);
    for (const m of kc.status?.members ?? []) {
      const pod = pods.find((p) => p.metadata?.name === m.name);
      expect(m).toMatchObject({ ready: true, upToDate: true, node: pod?.spec?.nodeName, zone: nodes.get(pod?.spec?.nodeName) });
    }
    const [event] = await eventsOnceRecorded(kube, namespace, "orders", "Created");
    expect(event?.message).toBe(`3 brokers ready, Kafka 4.1.1; bootstrap orders-bootstrap.${namespace}.svc:9092`);
  });

  kubeTest("restarts members one at a time in order on a config change, controllers before brokers on an upgrade; a backup change restarts nothing", async ({ kube, namespace }) => {
    await createKafka(kube, namespace, "orders", SMALL);
    await waitRunning(kube, namespace, "orders");
    const uids = async () => new Map((await kube.core.listNamespacedPod({ namespace })).items.map((p) => [p.metadata?.name, p.metadata?.uid]));

    // A broker setting restarts the brokers only, highest ordinal first, never two down at once.
    let churn = await watchPodChurn(kube, namespace);
    await patchKafkaSpec(kube, namespace, "orders", { config: { "num.partitions": 12 } });
    await waitRunning(kube, namespace, "orders");
    await churn.stop();
    expect(churn.terminated).toEqual(["orders-broker-2", "orders-broker-1", "orders-broker-0"]);
    expect(churn.maxDown).toBe(1);
    const config = await kube.core.readNamespacedConfigMap({ name: "orders-config", namespace });
    expect(config.data?.["broker.properties"]).toContain("\nnum.partitions=12\n");
    expect(config.data?.["controller.properties"]).not.toContain("num.partitions");

    // A new backup policy reaches the running pods without a restart.
    const before = await uids();
    await patchKafkaSpec(kube, namespace, "orders", { backup: { schedule: "0 3 * * *" } });
    await waitFor(
      async () => (await kube.core.listNamespacedPod({ namespace })).items.every((p) => p.metadata?.annotations?.["backup.xlss.io/schedule"] === "0 3 * * *"),
      { what: "backup annotations on every pod" },
    );
    await waitRunning(kube, namespace, "orders");
    expect(await uids()).toEqual(before);

    // An upgrade: every controller, then every broker.
    churn = await watchPodChurn(kube, namespace);
    await patchKafkaSpec(kube, namespace, "orders", { version: "4.2.0" });
    const upgraded = await waitForKafka(kube, namespace, "orders", (s) => s.phase === "Running" && s.version === "4.2.0", "upgraded to 4.2.0");
    await churn.stop();
    expect(churn.terminated).toEqual(["orders-controller-2", "orders-controller-1", "orders-controller-0", "orders-broker-2", "orders-broker-1", "orders-broker-0"]);
    expect(churn.maxDown).toBe(1);
    expect(upgraded.status?.members?.every((m) => m.version === "4.2.0" && m.upToDate)).toBe(true);
    const images = (await kube.core.listNamespacedPod({ namespace })).items.map((p) => p.spec?.containers[0]?.image);
    expect(new Set(images)).toEqual(new Set(["apache/kafka:4.2.0"]));
    const restarts = await eventsAbout(kube, namespace, "orders", "RestartingMember");
    // Brokers keep 4.1.1 in their template until every controller runs 4.2.0: 3 await a restart at first.
    expect(restarts.map((e) => e.message)).toContain("restarting orders-controller-2 (upgrade from Kafka 4.1.1 to 4.2.0); one member at a time, controllers first (3 awaiting a restart)");
    expect(restarts.map((e) => e.message)).toContain("restarting orders-broker-2 (upgrade from Kafka 4.1.1 to 4.2.0); one member at a time, controllers first (3 awaiting a restart)");
  });

  kubeTest("scales out and in, and refuses a scale-in below the replication the brokers run with", async ({ kube, namespace }) => {
    await createKafka(kube, namespace, "orders", SMALL);
    await waitRunning(kube, namespace, "orders");

    await scaleKafka(kube, namespace, "orders", 4);
    let kc = await waitForKafka(kube, namespace, "orders", (s) => s.phase === "Running" && s.readyReplicas === 4, "4 brokers ready");
    expect(kc.status?.members?.filter((m) => m.role === "broker").map((m) => m.name)).toEqual(["orders-broker-0", "orders-broker-1", "orders-broker-2", "orders-broker-3"]);

    await scaleKafka(kube, namespace, "orders", 3);
    kc = await waitForKafka(kube, namespace, "orders", (s) => s.phase === "Running" && s.replicas === 3, "back to 3 brokers");
    await waitGone(() => kube.core.readNamespacedPod({ name: "orders-broker-3", namespace }), "orders-broker-3");
    // whenScaled: Retain (the default) keeps the removed broker's volume.
    expect((await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-orders-broker-3", namespace })).status?.phase).toBe("Bound");

    // The API server refuses fewer brokers than the spec's own replication factor ...
    await expect(scaleKafka(kube, namespace, "orders", 2)).rejects.toSatisfy((e) => apiMessage(e).includes("spec.replication.factor cannot exceed spec.replicas"));
    // ... and the operator refuses lowering both at once: topics keep the factor they were created with.
    await patchKafkaSpec(kube, namespace, "orders", { replicas: 2, replication: { factor: 2, minInSync: 1 } });
    kc = await waitForKafka(kube, namespace, "orders", (s) => findCondition(s.conditions, "Progressing")?.reason === "ScaleInRefused", "ScaleInRefused");
    expect(findCondition(kc.status?.conditions, "Progressing")?.message).toMatch(/^scale-in from 3 to 2 brokers refused: the brokers run with default.replication.factor=3 and min.insync.replicas=2/);
    const [warning] = await waitFor(async () => {
      const e = await eventsAbout(kube, namespace, "orders", "ScaleInRefused");
      return e.length ? e : undefined;
    }, { what: "ScaleInRefused event" });
    expect(warning?.type).toBe("Warning");
    // The lower factor still rolls out; the brokers stay three while the scale-in is refused.
    kc = await waitForKafka(kube, namespace, "orders", (s) => s.members?.every((m) => m.upToDate && m.ready) === true, "the new replication rolled out");
    expect((await kube.apps.readNamespacedStatefulSet({ name: "orders-broker", namespace })).spec?.replicas).toBe(3);
    expect(findCondition(kc.status?.conditions, "Progressing")?.reason).toBe("ScaleInRefused");
    expect(findCondition(kc.status?.conditions, "Ready")?.status).toBe("True");
    expect(kc.status?.replication).toEqual({ factor: 3, minInSync: 2 });

    // Withdrawn, the factor takes effect; asked again, the scale-in goes ahead.
    await patchKafkaSpec(kube, namespace, "orders", { replicas: 3 });
    await waitForKafka(kube, namespace, "orders", (s) => s.phase === "Running" && s.replication?.factor === 2, "replication 2 in effect");
    await patchKafkaSpec(kube, namespace, "orders", { replicas: 2 });
    kc = await waitForKafka(kube, namespace, "orders", (s) => s.phase === "Running" && s.replicas === 2, "2 brokers");
    expect((await kube.apps.readNamespacedStatefulSet({ name: "orders-broker", namespace })).spec?.replicas).toBe(2);
  });

  kubeTest("deletes what it owns; claims are kept or deleted as spec.storage.claimRetention says", async ({ kube, namespace }) => {
    await createKafka(kube, namespace, "kept", TINY);
    await createKafka(kube, namespace, "dropped", { ...TINY, storage: { ...TINY.storage, claimRetention: { whenDeleted: "Delete" } } });
    await waitRunning(kube, namespace, "kept");
    await waitRunning(kube, namespace, "dropped");
    await deleteKafka(kube, namespace, "kept");
    await deleteKafka(kube, namespace, "dropped");
    for (const name of ["kept", "dropped"]) {
      await waitGone(() => kube.apps.readNamespacedStatefulSet({ name: `${name}-broker`, namespace }), `StatefulSet ${name}-broker`);
      await waitGone(() => kube.core.readNamespacedService({ name: `${name}-bootstrap`, namespace }), `Service ${name}-bootstrap`);
      await waitGone(() => kube.core.readNamespacedService({ name: `${name}-headless`, namespace }), `Service ${name}-headless`);
      await waitGone(() => kube.core.readNamespacedConfigMap({ name: `${name}-config`, namespace }), `ConfigMap ${name}-config`);
      await waitGone(() => kube.policy.readNamespacedPodDisruptionBudget({ name: `${name}-broker`, namespace }), `PDB ${name}-broker`);
      await waitGone(() => kube.core.readNamespacedPod({ name: `${name}-broker-0`, namespace }), `pod ${name}-broker-0`);
    }
    await waitGone(() => kube.core.readNamespacedPersistentVolumeClaim({ name: "data-dropped-broker-0", namespace }), "claim data-dropped-broker-0");
    const kept = await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-kept-broker-0", namespace });
    expect(kept.status?.phase).toBe("Bound");
    expect(kept.metadata?.deletionTimestamp).toBeUndefined();
  });

  const invalid: { name: string; spec: KafkaSpecInput; message: string; metadataName?: string }[] = [
    { name: "an unknown setting", spec: { config: { "num.partitons": 6 } }, message: "spec.config: Invalid value: unknown Kafka setting num.partitons (the supported settings are listed in docs/operators.md)" },
    { name: "a setting the operator manages", spec: { config: { listeners: "PLAIN://:9092" } }, message: "spec.config: Forbidden: spec.config cannot set listeners: the operator sets it from spec.listeners" },
    { name: "a value of the wrong form", spec: { config: { "log.retention.hours": "3d" } }, message: "invalid value of log.retention.hours: expected a whole number of at least -1" },
    { name: "a value off the list", spec: { config: { "compression.type": "brotli" } }, message: "invalid value of compression.type: expected one of uncompressed, zstd, lz4, snappy, gzip, producer" },
    { name: "more replicas than brokers", spec: { replicas: 2 }, message: "spec.replication.factor cannot exceed spec.replicas: every partition needs that many brokers" },
    { name: "min in-sync above the factor", spec: { replication: { factor: 3, minInSync: 4 } }, message: "spec.replication.minInSync cannot exceed spec.replication.factor" },
    { name: "fewer combined brokers than controllers", spec: { replicas: 3, controllers: { mode: "Combined", replicas: 5 } }, message: "with combined controllers spec.replicas must be at least spec.controllers.replicas" },
    { name: "an even quorum", spec: { controllers: { replicas: 2 } }, message: 'spec.controllers.replicas: Unsupported value: 2: supported values: "1", "3", "5"' },
    { name: "an unknown version", spec: { version: "2.8.1" as never }, message: 'spec.version: Unsupported value: "2.8.1"' },
    { name: "a reserved port", spec: { listeners: [{ name: "plain", port: 9093 }] }, message: "ports 9091 (replication) and 9093 (controllers) are reserved for the operator" },
    { name: "two listeners on one port", spec: { listeners: [{ name: "a", port: 9092 }, { name: "b", port: 9092 }] }, message: "listener ports must be different from each other" },
    { name: "a tiny disk", spec: { storage: { size: "100Mi" } }, message: "size must be a quantity of at least 1Gi" },
    { name: "a too frequent backup", spec: { backup: { schedule: "@every 5s" } }, message: "schedule must be '@every <n><s|m|h|d>' of at least 10s" },
    { name: "a memory limit below the request", spec: { resources: { requests: { memory: "2Gi" }, limits: { memory: "1Gi" } } }, message: "limits.memory must be at least requests.memory" },
    { name: "a long name", spec: {}, metadataName: "a".repeat(41), message: "the name of a KafkaCluster must be at most 40 characters" },
  ];
  kubeTest("rejects invalid specs with messages that say what is wrong", async ({ kube, namespace }) => {
    const problems: string[] = [];
    for (const c of invalid) {
      try {
        await createKafka(kube, namespace, c.metadataName ?? "bad", c.spec);
        problems.push(`${c.name}: accepted`);
      } catch (err) {
        if (!apiMessage(err).includes(c.message)) problems.push(`${c.name}: ${apiMessage(err)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  kubeTest("refuses changes a running cluster cannot take, keeping what is stored", async ({ kube, namespace }) => {
    await createKafka(kube, namespace, "orders", { ...TINY, version: "4.1.1" });
    const stored = await waitRunning(kube, namespace, "orders");
    const changes: [string, KafkaSpecInput, string][] = [
      ["a downgrade", { version: "4.0.0" }, "downgrading Kafka from 4.1.1 to 4.0.0 is not supported"],
      ["a shrink", { storage: { size: "512Mi" } }, "spec.storage.size cannot shrink: 1Gi → 512Mi; volumes can only grow"],
      ["another storage class", { storage: { class: "xlss-local-retain" } }, "spec.storage.class cannot be changed after creation (xlss-local → xlss-local-retain)"],
      ["another quorum", { controllers: { mode: "Separate" } }, "spec.controllers.mode and spec.controllers.replicas cannot be changed after creation"],
    ];
    for (const [what, spec, message] of changes) {
      await expect(patchKafkaSpec(kube, namespace, "orders", spec), what).rejects.toSatisfy((e) => apiMessage(e).includes(message));
    }
    await patchKafkaSpec(kube, namespace, "orders", { clusterId: stored.status?.clusterId });
    await expect(patchKafkaSpec(kube, namespace, "orders", { clusterId: "AAAAAAAAAAAAAAAAAAAAAA" })).rejects.toSatisfy((e) =>
      apiMessage(e).includes("spec.clusterId cannot be changed or removed once set"),
    );
    const after = await getKafka(kube, namespace, "orders");
    expect(after.spec).toEqual({ ...stored.spec, clusterId: stored.status?.clusterId });
  });

  kubeTest("converges after the operator is killed mid-reconcile and mid-roll", async ({ kube, namespace, cluster }) => {
    // Killed while creating: right after the first owned object appeared.
    await createKafka(kube, namespace, "orders", { ...SMALL, replicas: 5 });
    await waitFor(() => kube.core.readNamespacedConfigMap({ name: "orders-config", namespace }), { what: "the first owned object", intervalMs: 20 });
    await killOperators(cluster);
    await restartOperators(cluster);
    await waitRunning(kube, namespace, "orders", 180_000);

    // Killed while restarting members: the roll goes on, in order, from where it was.
    const churn = await watchPodChurn(kube, namespace);
    await patchKafkaSpec(kube, namespace, "orders", { config: { "log.retention.hours": 24 } });
    await waitFor(async () => churn.terminated.length > 0 || undefined, { what: "the first restart", intervalMs: 20 });
    await killOperators(cluster);
    const afterKill = churn.terminated.length;
    await restartOperators(cluster);
    await waitForKafka(kube, namespace, "orders", (s) => s.phase === "Running" && s.members?.every((m) => m.upToDate) === true, "every member up to date", 180_000);
    await churn.stop();
    expect(afterKill).toBeLessThan(5);
    expect(churn.terminated).toEqual(["orders-broker-4", "orders-broker-3", "orders-broker-2", "orders-broker-1", "orders-broker-0"]);
    expect(churn.maxDown).toBe(1);
  });
});
