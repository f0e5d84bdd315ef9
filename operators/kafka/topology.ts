import type { KafkaCluster } from "./types";

/** The label value of Kafka objects (app.kubernetes.io/name). */
export const KAFKA_APP = "kafka";

/** Ports of the operator's own listeners; user listeners may not take them. */
export const REPLICATION_PORT = 9091;
export const CONTROLLER_PORT = 9093;

/** Dedicated controllers' node.id is this plus the ordinal, so broker ids stay the pod ordinals. */
export const CONTROLLER_ID_BASE = 1000;

/** Where the data volume is mounted, and Kafka's log directory inside it (the volume root may hold lost+found). */
export const DATA_MOUNT = "/var/lib/kafka/data";
export const LOG_DIR = `${DATA_MOUNT}/kafka-log`;
/** Where the generated configuration (ConfigMap) is mounted. */
export const CONFIG_MOUNT = "/opt/xlss/config";
/** Where a TLS listener's Secret is mounted (`/<listener name>`). */
export const TLS_MOUNT = "/etc/kafka/tls";
/** A writable folder (emptyDir) for the rendered server.properties and the listeners' PEM key stores. */
export const WORK_MOUNT = "/opt/xlss/work";

/** What a StatefulSet's pods are: dedicated controllers, brokers, or brokers of which the first are controllers too. */
export type KafkaRole = "controller" | "broker" | "combined";

/** One StatefulSet of a cluster. */
export interface RoleSet {
  role: KafkaRole;
  /** StatefulSet (and PodDisruptionBudget) name. */
  name: string;
  /** app.kubernetes.io/component of its pods. */
  component: "controller" | "broker";
  /** Restart order: controllers before brokers. */
  group: number;
  idBase: number;
}

export function kafkaNames(name: string) {
  return {
    headless: `${name}-headless`,
    bootstrap: `${name}-bootstrap`,
    config: `${name}-config`,
    brokers: `${name}-broker`,
    controllers: `${name}-controller`,
  };
}

/** The StatefulSets of a cluster, controllers first. */
export function roleSets(kc: KafkaCluster): RoleSet[] {
  const names = kafkaNames(kc.metadata.name);
  if (kc.spec.controllers.mode === "Combined") {
    return [{ role: "combined", name: names.brokers, component: "broker", group: 0, idBase: 0 }];
  }
  return [
    { role: "controller", name: names.controllers, component: "controller", group: 0, idBase: CONTROLLER_ID_BASE },
    { role: "broker", name: names.brokers, component: "broker", group: 1, idBase: 0 },
  ];
}

/** The node.id of the pod with `ordinal` in `set`. */
export const nodeId = (set: RoleSet, ordinal: number): number => set.idBase + ordinal;

/** The stable DNS name of a pod through the headless Service. */
export const podHost = (kc: KafkaCluster, pod: string): string => `${pod}.${kafkaNames(kc.metadata.name).headless}.${kc.metadata.namespace}.svc`;

/** The quorum's voters: `id@host:port` of every controller, as controller.quorum.voters lists them. */
export function quorumVoters(kc: KafkaCluster): string {
  const [first] = roleSets(kc);
  return Array.from({ length: kc.spec.controllers.replicas }, (_, i) => `${nodeId(first!, i)}@${podHost(kc, `${first!.name}-${i}`)}:${CONTROLLER_PORT}`).join(",");
}

/** The Kafka name of a user listener (upper case, as listener names are written in Kafka). */
export const listenerName = (name: string): string => name.toUpperCase();
