import type { V1EnvVar, V1PodDisruptionBudget, V1PodTemplateSpec, V1Service, V1StatefulSet } from "@kubernetes/client-node";
import { HOOK_ANNOTATIONS } from "../../lib/xlss/backup/hooks";
import { withBackupPolicy } from "../shared/backup";
import { hashOf } from "../shared/hash";
import { ANNOTATIONS, LABELS, objectLabels, selectorLabels } from "../shared/labels";
import { headlessService, memberBudget, ownedMeta, type OwnedObjects } from "../shared/owned-objects";
import { resourceRequirements, SCHEDULER_NAME } from "../shared/pod-spec";
import { withRestartHash } from "../shared/restart";
import { dataClaimTemplate } from "../shared/storage-growth";
import { configFiles, FILES, filesOfRole } from "./config";
import {
  CONFIG_MOUNT,
  CREDENTIAL_KEYS,
  DATA_MOUNT,
  PGDATA,
  POSTGRES_APP,
  POSTGRES_PORT,
  postgresNames,
  SOCKET_DIR,
  SUPERUSER,
  WORK_MOUNT,
  type PostgresRole,
} from "./topology";
import { POSTGRES_KIND, type PostgresCluster } from "./types";

/**
 * The backup hook every server carries: CHECKPOINT before the node agent copies the volume, so the
 * data files on disk are as recent as possible and a restored copy has little WAL to replay. It
 * does not make the copy consistent (restic reads a running server's files one by one; see
 * docs/operators.md), hence `Continue`: a server that cannot checkpoint is backed up as it is.
 */
export const CHECKPOINT_HOOK: Readonly<Record<string, string>> = {
  [HOOK_ANNOTATIONS.pre.command]: JSON.stringify(["psql", "-X", "-q", "-h", SOCKET_DIR, "-U", SUPERUSER, "-d", "postgres", "-c", "CHECKPOINT"]),
  [HOOK_ANNOTATIONS.pre.container]: "postgres",
  [HOOK_ANNOTATIONS.pre.timeout]: "5m",
  [HOOK_ANNOTATIONS.pre.onError]: "Continue",
};

/** Everything a PostgresCluster owns, as it should be (the Secret aside: see credentials.ts); its StatefulSets replicas first, then the primary. */
export function desiredPostgresObjects(pg: PostgresCluster, image: string): OwnedObjects {
  const names = postgresNames(pg.metadata.name);
  const meta = ownedMeta(POSTGRES_APP, POSTGRES_KIND, pg);
  const files = configFiles(pg);
  const port = [{ name: "postgres", port: POSTGRES_PORT, targetPort: POSTGRES_PORT }];
  const services: V1Service[] = [
    headlessService(meta(names.headless), POSTGRES_APP, pg.metadata.name, port),
    { apiVersion: "v1", kind: "Service", metadata: meta(names.primary, "primary"), spec: { type: "ClusterIP", selector: selectorLabels(POSTGRES_APP, pg.metadata.name, "primary"), ports: port } },
    { apiVersion: "v1", kind: "Service", metadata: meta(names.replicas, "replica"), spec: { type: "ClusterIP", selector: selectorLabels(POSTGRES_APP, pg.metadata.name, "replica"), ports: port } },
  ];
  const statefulSets: V1StatefulSet[] = [];
  const budgets: V1PodDisruptionBudget[] = [];
  const restartHashes: Record<string, string> = {};
  for (const role of ["replica", "primary"] as const) {
    const name = role === "primary" ? names.primary : names.replicaSet;
    const template = podTemplate(pg, role, `${image}:${pg.spec.version}`, hashOf(filesOfRole(role).map((f) => files[f])));
    restartHashes[name] = template.metadata?.annotations?.[ANNOTATIONS.restartHash] ?? "";
    statefulSets.push({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta(name, role),
      spec: {
        serviceName: names.headless,
        replicas: role === "primary" ? 1 : pg.spec.replicas - 1,
        podManagementPolicy: "Parallel",
        // Restarts are the operator's, one member at a time (replicas, then the primary).
        updateStrategy: { type: "OnDelete" },
        selector: { matchLabels: selectorLabels(POSTGRES_APP, pg.metadata.name, role) },
        template: withBackupPolicy(template, pg.spec.backup),
        persistentVolumeClaimRetentionPolicy: pg.spec.storage.claimRetention,
        volumeClaimTemplates: [dataClaimTemplate(objectLabels(POSTGRES_APP, pg.metadata.name, role), pg.spec.storage.class, pg.spec.storage.size)],
      },
    });
    budgets.push(memberBudget(meta(name, role), selectorLabels(POSTGRES_APP, pg.metadata.name, role)));
  }
  return { configMap: { apiVersion: "v1", kind: "ConfigMap", metadata: meta(names.config), data: files }, services, statefulSets, budgets, restartHashes };
}

function podTemplate(pg: PostgresCluster, role: PostgresRole, image: string, configHash: string): V1PodTemplateSpec {
  const names = postgresNames(pg.metadata.name);
  const secret = (key: string): V1EnvVar["valueFrom"] => ({ secretKeyRef: { name: names.credentials, key } });
  const base: V1PodTemplateSpec = {
    metadata: {
      labels: { ...objectLabels(POSTGRES_APP, pg.metadata.name, role), [LABELS.version]: pg.spec.version },
      // The hook is in the template (and its hash) as it never changes with the spec; it is there
      // without a schedule too, for "back up now".
      annotations: { [ANNOTATIONS.configHash]: configHash, ...CHECKPOINT_HOOK },
    },
    spec: {
      schedulerName: SCHEDULER_NAME,
      // The image stops with SIGINT (its STOPSIGNAL: a fast shutdown, sessions cut); a checkpoint
      // of a busy server can still take a while.
      terminationGracePeriodSeconds: 60,
      // The postgres image's own user (Debian tags), which owns the socket folder.
      // OnRootMismatch: the kubelet changes the volume's ownership once, not a large data
      // directory's every file at every start.
      securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: "OnRootMismatch" },
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            // Servers of one cluster apart, primary and replicas alike.
            { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { [LABELS.name]: POSTGRES_APP, [LABELS.instance]: pg.metadata.name } } } },
          ],
        },
      },
      ...(pg.spec.spreadOverZones
        ? {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: { [LABELS.name]: POSTGRES_APP, [LABELS.instance]: pg.metadata.name } },
              },
            ],
          }
        : {}),
      containers: [
        {
          name: "postgres",
          image,
          command: ["sh", `${CONFIG_MOUNT}/${role === "primary" ? FILES.startPrimary : FILES.startReplica}`],
          env: [
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "PGDATA", value: PGDATA },
            { name: "PRIMARY_HOST", value: `${names.primary}.${pg.metadata.namespace}.svc` },
            { name: "PRIMARY_PORT", value: String(POSTGRES_PORT) },
            { name: "SUPERUSER_PASSWORD", valueFrom: secret(CREDENTIAL_KEYS.superuserPassword) },
            { name: "REPLICATION_PASSWORD", valueFrom: secret(CREDENTIAL_KEYS.replicationPassword) },
          ],
          ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
          resources: resourceRequirements(pg.spec.resources),
          volumeMounts: [
            { name: "data", mountPath: DATA_MOUNT },
            { name: "config", mountPath: CONFIG_MOUNT, readOnly: true },
            { name: "work", mountPath: WORK_MOUNT },
          ],
          // Ready when it accepts connections (a replica once it is consistent). No liveness probe:
          // a replica's first clone may take hours with the port closed, and PostgreSQL exits on
          // its own when it cannot go on.
          readinessProbe: { exec: { command: ["pg_isready", "-q", "-h", SOCKET_DIR, "-p", String(POSTGRES_PORT)] }, initialDelaySeconds: 5, periodSeconds: 5 },
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
