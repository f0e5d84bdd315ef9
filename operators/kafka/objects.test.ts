import { describe, expect, it } from "vitest";
import { ANNOTATIONS } from "../shared/labels";
import { clusterIdOf, desiredObjects, heapOptions, type KafkaPlan } from "./objects";
import { kafkaCluster } from "./test-fixtures";

const plan = (over: Partial<KafkaPlan> = {}): KafkaPlan => ({
  brokerReplicas: 3,
  versions: { controller: "4.1.1", broker: "4.1.1" },
  image: "apache/kafka",
  ...over,
});

describe("desiredObjects", () => {
  const kc = kafkaCluster({ backup: { schedule: "0 3 * * *" }, storage: { claimRetention: { whenDeleted: "Delete" } } });
  const objs = desiredObjects(kc, plan());
  const all = [objs.configMap, ...objs.services, ...objs.statefulSets, ...objs.budgets];

  it("owns every object it makes, with the kind's labels", () => {
    expect(all.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      "ConfigMap/orders-config",
      "Service/orders-headless",
      "Service/orders-bootstrap",
      "StatefulSet/orders-controller",
      "StatefulSet/orders-broker",
      "PodDisruptionBudget/orders-controller",
      "PodDisruptionBudget/orders-broker",
    ]);
    for (const o of all) {
      expect(o.metadata?.ownerReferences).toEqual([
        { apiVersion: "paas.xlss.io/v1alpha1", kind: "KafkaCluster", name: "orders", uid: kc.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(o.metadata?.labels).toMatchObject({ "app.kubernetes.io/name": "kafka", "app.kubernetes.io/instance": "orders", "app.kubernetes.io/managed-by": "xlss-operators" });
    }
  });

  it("runs pods through the xlss-scheduler on xlss-local volumes, restarts left to the operator", () => {
    const brokers = objs.statefulSets[1]!;
    expect(brokers.spec).toMatchObject({
      replicas: 3,
      serviceName: "orders-headless",
      podManagementPolicy: "Parallel",
      updateStrategy: { type: "OnDelete" },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
    });
    expect(brokers.spec?.volumeClaimTemplates?.[0]?.spec).toMatchObject({ storageClassName: "xlss-local", resources: { requests: { storage: "10Gi" } } });
    expect(objs.statefulSets[0]!.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests).toEqual({ storage: "2Gi" });
    const pod = brokers.spec!.template;
    expect(pod.spec?.schedulerName).toBe("xlss-scheduler");
    expect(pod.metadata?.annotations).toMatchObject({ "backup.xlss.io/schedule": "0 3 * * *", "backup.xlss.io/retention": "last=7", "backup.xlss.io/enabled": "true" });
    expect(pod.spec?.containers[0]?.image).toBe("apache/kafka:4.1.1");
    expect(pod.spec?.containers[0]?.env?.find((e) => e.name === "KAFKA_RACK")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.labels['topology.kubernetes.io/zone']");
    expect(objs.statefulSets[0]!.spec!.template.spec?.containers[0]?.env?.some((e) => e.name === "KAFKA_RACK")).toBe(false);
  });

  it("lets one member of each role be down at a time, and sends clients to brokers only", () => {
    expect(objs.budgets.map((b) => b.spec)).toEqual([
      { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "kafka", "app.kubernetes.io/instance": "orders", "app.kubernetes.io/component": "controller" } } },
      { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "kafka", "app.kubernetes.io/instance": "orders", "app.kubernetes.io/component": "broker" } } },
    ]);
    const [headless, bootstrap] = objs.services;
    expect(headless!.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
    expect(bootstrap!.spec?.selector?.["app.kubernetes.io/component"]).toBe("broker");
    expect(bootstrap!.spec?.ports).toEqual([{ name: "plain", port: 9092, targetPort: 9092 }]);
  });

  it("changes a role's restart hash only for what needs that role restarted", () => {
    const hashes = (spec: Parameters<typeof kafkaCluster>[0], p = plan()) => desiredObjects(kafkaCluster(spec), p).restartHashes;
    const base = hashes({});
    expect(hashes({ backup: { schedule: "@every 1h" } })).toEqual(base);
    const brokerSetting = hashes({ config: { "num.partitions": 12 } });
    expect(brokerSetting["orders-controller"]).toBe(base["orders-controller"]);
    expect(brokerSetting["orders-broker"]).not.toBe(base["orders-broker"]);
    const controllerSetting = hashes({ config: { "metadata.log.segment.ms": 1000 } });
    expect(controllerSetting["orders-controller"]).not.toBe(base["orders-controller"]);
    expect(controllerSetting["orders-broker"]).toBe(base["orders-broker"]);
    const upgrade = hashes({}, plan({ versions: { controller: "4.2.0", broker: "4.1.1" } }));
    expect(upgrade["orders-controller"]).not.toBe(base["orders-controller"]);
    expect(upgrade["orders-broker"]).toBe(base["orders-broker"]);
    expect(hashes({ resources: { requests: { cpu: "2" } } })["orders-broker"]).not.toBe(base["orders-broker"]);
  });

  it("puts the restart and config hashes on the pod template", () => {
    const annotations = objs.statefulSets[1]!.spec!.template.metadata?.annotations ?? {};
    expect(annotations[ANNOTATIONS.restartHash]).toBe(objs.restartHashes["orders-broker"]);
    expect(annotations[ANNOTATIONS.configHash]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("runs a combined cluster as one StatefulSet of brokers, the first of them voters", () => {
    const combined = desiredObjects(kafkaCluster({ replicas: 4, controllers: { mode: "Combined", replicas: 3 } }), plan({ brokerReplicas: 4 }));
    expect(combined.statefulSets.map((s) => [s.metadata?.name, s.spec?.replicas])).toEqual([["orders-broker", 4]]);
    const env = combined.statefulSets[0]!.spec!.template.spec?.containers[0]?.env ?? [];
    expect(env.find((e) => e.name === "KAFKA_ROLE")?.value).toBe("combined");
    expect(env.find((e) => e.name === "KAFKA_CONTROLLERS")?.value).toBe("3");
    expect(combined.statefulSets[0]!.spec!.template.spec?.containers[0]?.ports?.map((p) => p.containerPort)).toEqual([9093, 9091, 9092]);
  });
});

describe("clusterIdOf", () => {
  it("derives a 22-character base64url id from the uid, unless the spec names one", () => {
    expect(clusterIdOf(kafkaCluster())).toBe("PyyKHlt9TA6abx0uP0pbbA");
    expect(clusterIdOf(kafkaCluster({ clusterId: "MkU3OEVBNTcwNTJENDM2Qk" }))).toBe("MkU3OEVBNTcwNTJENDM2Qk");
  });
});

describe("heapOptions", () => {
  it.each([
    [{ requests: { memory: "4Gi" } }, "-Xms2048m -Xmx2048m"],
    [{ requests: { memory: "1Gi" }, limits: { memory: "8Gi" } }, "-Xms4096m -Xmx4096m"],
    [{ requests: { memory: 1073741824 } }, "-Xms512m -Xmx512m"],
    [{ requests: { memory: "64Mi" } }, "-Xms128m -Xmx128m"],
    [{ requests: { cpu: "1" } }, "-Xms512m -Xmx512m"],
  ])("%j → %s", (resources, want) => {
    expect(heapOptions(resources)).toBe(want);
  });
});
