import { headlessService, memberBudget, ownedMeta, type OwnedObjects } from "../shared/owned-objects";
import type { V1PodDisruptionBudget, V1PodTemplateSpec, V1Service, V1StatefulSet } from "@kubernetes/client-node";
import { withBackupPolicy } from "../shared/backup";
import { hashOf } from "../shared/hash";
import { ANNOTATIONS, LABELS, objectLabels, selectorLabels } from "../shared/labels";
import { resourceRequirements, SCHEDULER_NAME } from "../shared/pod-spec";
import { withRestartHash } from "../shared/restart";
import { dataClaimTemplate } from "../shared/storage-growth";
import type { ComputeResources } from "../shared/types";
import { configFiles, FILES, filesOfRole } from "./config";
import { CONFIG_MOUNT, DATA_MOUNT, podHost, REDIS_APP, REDIS_PORT, redisNames, SENTINEL_PORT, WORK_MOUNT, type RedisRole } from "./topology";
import { REDIS_KIND, type RedisCluster } from "./types";

/** Everything a RedisCluster owns, as it should be; its StatefulSets sentinels first, then servers. */
export function desiredRedisObjects(rc: RedisCluster, image: string): OwnedObjects {
  const names = redisNames(rc.metadata.name);
  const meta = ownedMeta(REDIS_APP, REDIS_KIND, rc);
  const files = configFiles(rc);
  const services: V1Service[] = [
    headlessService(meta(names.headless), REDIS_APP, rc.metadata.name, [
      { name: "redis", port: REDIS_PORT, targetPort: REDIS_PORT },
      { name: "sentinel", port: SENTINEL_PORT, targetPort: SENTINEL_PORT },
    ]),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(names.sentinels, "sentinel"),
      spec: { type: "ClusterIP", selector: selectorLabels(REDIS_APP, rc.metadata.name, "sentinel"), ports: [{ name: "sentinel", port: SENTINEL_PORT, targetPort: SENTINEL_PORT }] },
    },
  ];
  const statefulSets: V1StatefulSet[] = [];
  const budgets: V1PodDisruptionBudget[] = [];
  const restartHashes: Record<string, string> = {};
  for (const role of ["sentinel", "server"] as const) {
    const name = role === "server" ? names.servers : names.sentinels;
    const template = podTemplate(rc, role, `${image}:${rc.spec.version}`, hashOf(filesOfRole(role).map((f) => files[f])));
    restartHashes[name] = template.metadata?.annotations?.[ANNOTATIONS.restartHash] ?? "";
    statefulSets.push({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(name, role),
      spec: {
        serviceName: names.headless,
        replicas: role === "server" ? rc.spec.replicas : rc.spec.sentinel.replicas,
        podManagementPolicy: "Parallel",
        // Restarts are the operator's, one member at a time (sentinels, then servers).
        updateStrategy: { type: "OnDelete" },
        selector: { matchLabels: selectorLabels(REDIS_APP, rc.metadata.name, role) },
        // Only servers keep data; sentinels rebuild their state from the others and the master.
        template: role === "server" ? withBackupPolicy(template, rc.spec.backup) : template,
        ...(role === "server"
          ? {
              persistentVolumeClaimRetentionPolicy: rc.spec.storage.claimRetention,
              volumeClaimTemplates: [dataClaimTemplate(objectLabels(REDIS_APP, rc.metadata.name, role), rc.spec.storage.class, rc.spec.storage.size)],
            }
          : {}),
      },
    });
    budgets.push(memberBudget(meta(name, role), selectorLabels(REDIS_APP, rc.metadata.name, role)));
  }
  return { configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: meta(names.config), data: files }, services, statefulSets, budgets, restartHashes };
}

function podTemplate(rc: RedisCluster, role: RedisRole, image: string, configHash: string): V1PodTemplateSpec {
  const names = redisNames(rc.metadata.name);
  const isServer = role === "server";
  const resources: ComputeResources = isServer ? rc.spec.resources : rc.spec.sentinel.resources;
  const port = isServer ? REDIS_PORT : SENTINEL_PORT;
  const component = role;
  const base: V1PodTemplateSpec = {
    metadata: {
      labels: { ...objectLabels(REDIS_APP, rc.metadata.name, component), [LABELS.version]: rc.spec.version },
      annotations: { [ANNOTATIONS.configHash]: configHash },
    },
    spec: {
      schedulerName: SCHEDULER_NAME,
      terminationGracePeriodSeconds: 30,
      // The redis image's own user.
      securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selectorLabels(REDIS_APP, rc.metadata.name, component) } } },
          ],
        },
      },
      ...(rc.spec.spreadOverZones
        ? {
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selectorLabels(REDIS_APP, rc.metadata.name, component) } },
            ],
          }
        : {}),
      containers: [
        {
          name: isServer ? "redis" : "sentinel",
          image,
          command: ["sh", `${CONFIG_MOUNT}/${isServer ? FILES.startServer : FILES.startSentinel}`],
          env: [
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "REDIS_HOST_SUFFIX", value: `.${names.headless}.${rc.metadata.namespace}.svc` },
            { name: "REDIS_FIRST_SERVER", value: podHost(rc, `${names.servers}-0`) },
            { name: "REDIS_MASTER_NAME", value: rc.metadata.name },
            { name: "REDIS_SENTINEL_SERVICE", value: `${names.sentinels}.${rc.metadata.namespace}.svc` },
          ],
          ports: [{ name: isServer ? "redis" : "sentinel", containerPort: port }],
          resources: resourceRequirements(resources),
          volumeMounts: [
            ...(isServer ? [{ name: "data", mountPath: DATA_MOUNT }] : []),
            { name: "config", mountPath: CONFIG_MOUNT, readOnly: true },
            { name: "work", mountPath: WORK_MOUNT },
          ],
          readinessProbe: { tcpSocket: { port }, initialDelaySeconds: 5, periodSeconds: 5 },
          livenessProbe: { tcpSocket: { port }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 6 },
        },
      ],
      volumes: [
        { name: "config", configMap: { name: names.config } },
        { name: "work", emptyDir: {} },
      ],
    },
  };
  return withRestartHash(base);
}
