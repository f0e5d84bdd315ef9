import { headlessService, memberBudget, ownedMeta, type OwnedObjects } from "../shared/owned-objects";
import type { V1ConfigMap, V1Container, V1EnvVar, V1PodDisruptionBudget, V1PodTemplateSpec, V1Service, V1StatefulSet, V1Volume, V1VolumeMount } from "@kubernetes/client-node";
// Quantity parsing lives in the client's util module, which its index does not re-export (pinned
// to 1.4.x, so the deep path is stable; lib/k8s/node-summary.ts does the same).
import { quantityToScalar } from "@kubernetes/client-node/dist/util.js";
import { withBackupPolicy } from "../shared/backup";
import { hashOf } from "../shared/hash";
import { ANNOTATIONS, LABELS, objectLabels, selectorLabels } from "../shared/labels";
import { resourceRequirements, SCHEDULER_NAME } from "../shared/pod-spec";
import { withRestartHash } from "../shared/restart";
import { dataClaimTemplate } from "../shared/storage-growth";
import type { ComputeResources } from "../shared/types";
import { configFiles, filesOfRole, START_SCRIPT_FILE } from "./config";
import {
  CONFIG_MOUNT,
  CONTROLLER_PORT,
  DATA_MOUNT,
  KAFKA_APP,
  kafkaNames,
  REPLICATION_PORT,
  roleSets,
  TLS_MOUNT,
  WORK_MOUNT,
  type RoleSet,
} from "./topology";
import { KAFKA_KIND, type KafkaCluster, type KafkaVersion } from "./types";

/** Choices the reconciler makes from what it observes, on top of the spec. */
export interface KafkaPlan {
  /** Brokers to run: spec.replicas, or the current count while a scale-in is refused. */
  brokerReplicas: number;
  /** Version per role: brokers keep theirs until every controller runs the new one. */
  versions: { controller: KafkaVersion; broker: KafkaVersion };
  /** Image repository; the tag is the version. */
  image: string;
}

/** Everything a KafkaCluster owns, as it should be. */
export function desiredObjects(kc: KafkaCluster, plan: KafkaPlan): OwnedObjects {
  const names = kafkaNames(kc.metadata.name);
  const meta = ownedMeta(KAFKA_APP, KAFKA_KIND, kc);
  const files = configFiles(kc, plan.versions);
  const clientPorts = kc.spec.listeners.map((l) => ({ name: l.name, port: l.port, targetPort: l.port }));

  const configMap: V1ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: meta(names.config), data: files };
  const headless = headlessService(meta(names.headless), KAFKA_APP, kc.metadata.name, [
    { name: "replication", port: REPLICATION_PORT, targetPort: REPLICATION_PORT },
    { name: "controller", port: CONTROLLER_PORT, targetPort: CONTROLLER_PORT },
    ...clientPorts,
  ]);
  const bootstrap: V1Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(names.bootstrap, "broker"),
    spec: { type: "ClusterIP", selector: selectorLabels(KAFKA_APP, kc.metadata.name, "broker"), ports: clientPorts },
  };

  const statefulSets: V1StatefulSet[] = [];
  const budgets: V1PodDisruptionBudget[] = [];
  const restartHashes: Record<string, string> = {};
  for (const set of roleSets(kc)) {
    const isControllerSet = set.role === "controller";
    const version = isControllerSet ? plan.versions.controller : plan.versions.broker;
    const configHash = hashOf(filesOfRole(set.role).map((f) => files[f]));
    const template = podTemplate(kc, set, { version, image: `${plan.image}:${version}`, configHash });
    restartHashes[set.name] = template.metadata?.annotations?.[ANNOTATIONS.restartHash] ?? "";
    const storage = isControllerSet ? kc.spec.controllers.storage : kc.spec.storage;
    statefulSets.push({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(set.name, set.component),
      spec: {
        serviceName: names.headless,
        replicas: isControllerSet ? kc.spec.controllers.replicas : plan.brokerReplicas,
        // Kafka nodes need no ordered start (the quorum forms once a majority is up), and the
        // operator orders restarts itself: OnDelete leaves every restart to it.
        podManagementPolicy: "Parallel",
        updateStrategy: { type: "OnDelete" },
        persistentVolumeClaimRetentionPolicy: kc.spec.storage.claimRetention,
        selector: { matchLabels: selectorLabels(KAFKA_APP, kc.metadata.name, set.component) },
        template: withBackupPolicy(template, kc.spec.backup),
        // One storage class for both roles; controllers size their metadata log's volume apart.
        volumeClaimTemplates: [dataClaimTemplate(objectLabels(KAFKA_APP, kc.metadata.name, set.component), kc.spec.storage.class, storage.size)],
      },
    });
    budgets.push(memberBudget(meta(set.name, set.component), selectorLabels(KAFKA_APP, kc.metadata.name, set.component)));
  }
  return { configMap, services: [headless, bootstrap], statefulSets, budgets, restartHashes };
}

function podTemplate(kc: KafkaCluster, set: RoleSet, opts: { version: string; image: string; configHash: string }): V1PodTemplateSpec {
  const { spec } = kc;
  const isControllerSet = set.role === "controller";
  const resources = isControllerSet ? spec.controllers.resources : spec.resources;
  const tlsListeners = isControllerSet ? [] : spec.listeners.filter((l) => l.tls);
  const env: V1EnvVar[] = [
    { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
    { name: "KAFKA_ROLE", value: set.role },
    { name: "KAFKA_CONTROLLERS", value: String(spec.controllers.replicas) },
    { name: "KAFKA_CLUSTER_ID", value: clusterIdOf(kc) },
    { name: "KAFKA_HEAP_OPTS", value: heapOptions(resources) },
    // The API server copies the node's zone and region labels onto a pod when it is bound
    // (PodTopologyLabels admission), which the downward API then hands to the container.
    ...(spec.rackAwareness.enabled && !isControllerSet
      ? [{ name: "KAFKA_RACK", valueFrom: { fieldRef: { fieldPath: `metadata.labels['${spec.rackAwareness.topologyKey}']` } } }]
      : []),
  ];
  const mounts: V1VolumeMount[] = [
    { name: "data", mountPath: DATA_MOUNT },
    { name: "config", mountPath: CONFIG_MOUNT, readOnly: true },
    { name: "work", mountPath: WORK_MOUNT },
    ...tlsListeners.map((l) => ({ name: `tls-${l.name}`, mountPath: `${TLS_MOUNT}/${l.name}`, readOnly: true })),
  ];
  const volumes: V1Volume[] = [
    { name: "config", configMap: { name: kafkaNames(kc.metadata.name).config } },
    { name: "work", emptyDir: {} },
    ...tlsListeners.map((l) => ({ name: `tls-${l.name}`, secret: { secretName: l.tls!.secretName } })),
  ];
  const probePort = isControllerSet ? CONTROLLER_PORT : REPLICATION_PORT;
  const container: V1Container = {
    name: "kafka",
    image: opts.image,
    command: ["bash", `${CONFIG_MOUNT}/${START_SCRIPT_FILE}`],
    env,
    ports: [
      ...(set.role !== "broker" ? [{ name: "controller", containerPort: CONTROLLER_PORT }] : []),
      ...(isControllerSet ? [] : [{ name: "replication", containerPort: REPLICATION_PORT }, ...spec.listeners.map((l) => ({ name: l.name, containerPort: l.port }))]),
    ],
    resources: resourceRequirements(resources),
    volumeMounts: mounts,
    readinessProbe: { tcpSocket: { port: probePort }, initialDelaySeconds: 10, periodSeconds: 5 },
    livenessProbe: { tcpSocket: { port: probePort }, initialDelaySeconds: 60, periodSeconds: 10, failureThreshold: 6 },
  };
  const labels = { ...objectLabels(KAFKA_APP, kc.metadata.name, set.component), [LABELS.version]: opts.version };
  const base: V1PodTemplateSpec = {
    metadata: { labels, annotations: { [ANNOTATIONS.configHash]: opts.configHash } },
    spec: {
      schedulerName: SCHEDULER_NAME,
      // Time for a controlled shutdown (leadership moved away, logs closed cleanly).
      terminationGracePeriodSeconds: 120,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                topologyKey: "kubernetes.io/hostname",
                labelSelector: { matchLabels: { [LABELS.name]: KAFKA_APP, [LABELS.instance]: kc.metadata.name } },
              },
            },
          ],
        },
      },
      ...(spec.rackAwareness.enabled
        ? {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: spec.rackAwareness.topologyKey,
                // Spread when possible; never leave a member Pending because a zone is short of room.
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: selectorLabels(KAFKA_APP, kc.metadata.name, set.component) },
              },
            ],
          }
        : {}),
      containers: [container],
      volumes,
    },
  };
  return withRestartHash(base);
}

/**
 * Kafka's cluster id: spec.clusterId, else the object's uid as 16 bytes in base64url (22
 * characters, the form `kafka-storage.sh random-uuid` prints). Stable for the object's life, and
 * derived, so nothing has to be stored for it.
 */
export function clusterIdOf(kc: KafkaCluster): string {
  if (kc.spec.clusterId) return kc.spec.clusterId;
  return Buffer.from((kc.metadata.uid ?? "").replace(/-/g, ""), "hex").toString("base64url");
}

/** JVM heap: half the memory limit (or request), leaving the rest to the page cache Kafka relies on. */
export function heapOptions(resources: ComputeResources): string {
  const memory = resources.limits?.memory ?? resources.requests.memory;
  if (memory === undefined) return "-Xms512m -Xmx512m";
  const mib = Math.max(128, Math.floor(Number(quantityToScalar(String(memory))) / 2 / 1024 ** 2));
  return `-Xms${mib}m -Xmx${mib}m`;
}
