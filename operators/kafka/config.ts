import { KAFKA_SETTINGS, type KafkaSettingScope } from "./settings";
import { startScript } from "./start-script";
import {
  CONTROLLER_PORT,
  kafkaNames,
  listenerName,
  LOG_DIR,
  quorumVoters,
  REPLICATION_PORT,
  WORK_MOUNT,
  type KafkaRole,
} from "./topology";
import { KAFKA_VERSIONS, type KafkaCluster, type KafkaVersion } from "./types";

// The generated configuration: one server.properties template per kind of node, rendered by the
// start script with the pod's own values (@@NODE_ID@@, @@POD_NAME@@, @@RACK@@).

/** Placeholders the start script replaces in a template. */
export const PLACEHOLDERS = { nodeId: "@@NODE_ID@@", podName: "@@POD_NAME@@", rack: "@@RACK@@" } as const;

/** ConfigMap keys of the templates: what a pod of each kind reads. */
export const TEMPLATE_FILE = { controller: "controller.properties", broker: "broker.properties", combined: "combined.properties" } as const;
export const START_SCRIPT_FILE = "start.sh";

/** True when `version` is `min` or later in the list of known versions. */
export const versionAtLeast = (version: KafkaVersion, min: KafkaVersion): boolean => KAFKA_VERSIONS.indexOf(version) >= KAFKA_VERSIONS.indexOf(min);

/** The files of the cluster's ConfigMap, for the given versions of its roles (they differ during an upgrade). */
export function configFiles(kc: KafkaCluster, versions: { controller: KafkaVersion; broker: KafkaVersion }): Record<string, string> {
  const files: Record<string, string> = { [START_SCRIPT_FILE]: startScript() };
  if (kc.spec.controllers.mode === "Combined") {
    files[TEMPLATE_FILE.combined] = renderTemplate(kc, "combined", versions.broker);
  } else {
    files[TEMPLATE_FILE.controller] = renderTemplate(kc, "controller", versions.controller);
  }
  // Combined clusters have broker-only members too, beyond the controllers' count.
  files[TEMPLATE_FILE.broker] = renderTemplate(kc, "broker", versions.broker);
  return files;
}

/** The ConfigMap files a StatefulSet of `role` reads (its pods' config hash covers exactly these). */
export function filesOfRole(role: KafkaRole): string[] {
  if (role === "controller") return [TEMPLATE_FILE.controller, START_SCRIPT_FILE];
  if (role === "combined") return [TEMPLATE_FILE.combined, TEMPLATE_FILE.broker, START_SCRIPT_FILE];
  return [TEMPLATE_FILE.broker, START_SCRIPT_FILE];
}

/** server.properties of one kind of node, with the pod's own values as placeholders. */
export function renderTemplate(kc: KafkaCluster, role: KafkaRole, version: KafkaVersion): string {
  const { spec } = kc;
  const isBroker = role !== "controller";
  const isController = role !== "broker";
  const host = `${PLACEHOLDERS.podName}.${kafkaNames(kc.metadata.name).headless}.${kc.metadata.namespace}.svc`;
  const listeners: [string, number, string][] = [
    ...(isController ? [["CONTROLLER", CONTROLLER_PORT, "PLAINTEXT"] as [string, number, string]] : []),
    ...(isBroker
      ? [
          ["REPLICATION", REPLICATION_PORT, "PLAINTEXT"] as [string, number, string],
          ...spec.listeners.map((l) => [listenerName(l.name), l.port, l.tls ? "SSL" : "PLAINTEXT"] as [string, number, string]),
        ]
      : []),
  ];
  // Brokers advertise what clients and other brokers connect to; a controller-only node may
  // advertise its controller listener only from 3.9 (KIP-853), and needs not.
  const advertised = listeners.filter(([name]) => name !== "CONTROLLER" || (role === "controller" && versionAtLeast(version, "3.9.0")));

  const managed: [string, string | number][] = [
    ["process.roles", role === "combined" ? "broker,controller" : role],
    ["node.id", PLACEHOLDERS.nodeId],
    ["controller.quorum.voters", quorumVoters(kc)],
    ["controller.listener.names", "CONTROLLER"],
    ["listeners", listeners.map(([name, port]) => `${name}://0.0.0.0:${port}`).join(",")],
    ...(advertised.length ? [["advertised.listeners", advertised.map(([name, port]) => `${name}://${host}:${port}`).join(",")] as [string, string]] : []),
    // Brokers reach the quorum through the controller listener too, so they must know its protocol.
    ["listener.security.protocol.map", ["CONTROLLER:PLAINTEXT", ...listeners.filter(([n]) => n !== "CONTROLLER").map(([n, , p]) => `${n}:${p}`)].join(",")],
    ...(isBroker ? [["inter.broker.listener.name", "REPLICATION"] as [string, string]] : []),
    ["log.dirs", LOG_DIR],
  ];
  if (isBroker) {
    if (spec.rackAwareness.enabled) managed.push(["broker.rack", PLACEHOLDERS.rack]);
    const { factor, minInSync } = spec.replication;
    managed.push(
      ["default.replication.factor", factor],
      ["offsets.topic.replication.factor", factor],
      ["transaction.state.log.replication.factor", factor],
      ["min.insync.replicas", minInSync],
      ["transaction.state.log.min.isr", minInSync],
    );
    for (const l of spec.listeners.filter((l) => l.tls)) {
      const prefix = `listener.name.${l.name}.ssl`;
      managed.push([`${prefix}.keystore.type`, "PEM"], [`${prefix}.keystore.location`, `${WORK_MOUNT}/${l.name}.pem`]);
    }
  }
  const user = Object.entries(spec.config)
    .filter(([key]) => readsSetting(KAFKA_SETTINGS[key]?.scope, role))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return [
    `# Generated by the xlss operators for KafkaCluster ${kc.metadata.namespace}/${kc.metadata.name} (${role} nodes, Kafka ${version}).`,
    "# Change spec.config of the KafkaCluster instead of this file.",
    ...managed.map(([k, v]) => `${k}=${v}`),
    ...(user.length ? ["# spec.config", ...user.map(([k, v]) => `${k}=${String(v)}`)] : []),
    "",
  ].join("\n");
}

function readsSetting(scope: KafkaSettingScope | undefined, role: KafkaRole): boolean {
  if (scope === "all" || role === "combined") return true;
  return scope === role;
}
