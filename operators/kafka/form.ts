import type { KindForm } from "../kind";
import { PAAS_API_VERSION } from "../shared/labels";
import { describeKind } from "../shared/settings";
import { KAFKA_SETTINGS } from "./settings";
import { DEFAULT_KAFKA_VERSION, KAFKA_KIND, KAFKA_PLURAL, KAFKA_VERSIONS } from "./types";

// The console's request form for a KafkaCluster. Defaults, options and bounds repeat the CRD's
// (form.test.ts checks them against it), so the form never offers what the API server refuses.

export const kafkaForm: KindForm = {
  kind: KAFKA_KIND,
  apiVersion: PAAS_API_VERSION,
  plural: KAFKA_PLURAL,
  title: "Kafka",
  description: "Apache Kafka in KRaft mode on fast local disks, with scheduled backups and automatic recovery when a node dies.",
  fields: [
    { path: "spec.version", label: "Version", help: "Kafka release. Upgrades go forward only.", type: "select", options: KAFKA_VERSIONS, default: DEFAULT_KAFKA_VERSION },
    { path: "spec.replicas", label: "Brokers", help: "Number of brokers; at least the replication factor.", type: "integer", default: 3, min: 1, max: 100 },
    {
      path: "spec.storage.size",
      label: "Disk per broker",
      help: "Size of each broker's local volume, e.g. 100Gi. Can grow later, never shrink.",
      type: "quantity",
      default: "10Gi",
    },
    { path: "spec.resources.requests.cpu", label: "CPU per broker", help: "Cores reserved for each broker, e.g. 2 or 500m.", type: "quantity", default: "1" },
    {
      path: "spec.resources.requests.memory",
      label: "Memory per broker",
      help: "Memory reserved for each broker, e.g. 8Gi; half goes to the JVM heap, the rest to the page cache.",
      type: "quantity",
      default: "4Gi",
    },
    { path: "spec.replication.factor", label: "Replication factor", help: "Copies of each partition.", type: "integer", default: 3, min: 1 },
    {
      path: "spec.replication.minInSync",
      label: "Minimum in-sync replicas",
      help: "Copies that must confirm a write with acks=all; at most the replication factor.",
      type: "integer",
      default: 2,
      min: 1,
    },
    {
      path: "spec.backup.schedule",
      label: "Backup schedule",
      help: "When to back up every broker's volume: '@every 6h' or a cron expression in UTC such as '0 3 * * *'. Empty: no backups.",
      type: "text",
    },
    { path: "spec.backup.retention", label: "Backups kept", help: "e.g. last=7 or daily=7,weekly=4.", type: "text", default: "last=7" },
    {
      path: "spec.controllers.mode",
      label: "Controllers",
      help: "Separate: dedicated controller pods (production). Combined: the first brokers are controllers too (small clusters).",
      type: "select",
      options: ["Separate", "Combined"],
      default: "Separate",
      immutable: true,
      advanced: true,
    },
    {
      path: "spec.controllers.replicas",
      label: "Controller quorum",
      help: "Voters of the KRaft quorum: 3 survive one failure, 5 survive two.",
      type: "select",
      options: [1, 3, 5],
      default: 3,
      immutable: true,
      advanced: true,
    },
    {
      path: "spec.storage.class",
      label: "Storage class",
      help: "xlss-local gives fast local disks with backups and recovery.",
      type: "text",
      default: "xlss-local",
      immutable: true,
      advanced: true,
    },
    {
      path: "spec.storage.claimRetention.whenDeleted",
      label: "Volumes when deleted",
      help: "Retain keeps the brokers' volumes after the cluster is deleted; Delete removes them.",
      type: "select",
      options: ["Retain", "Delete"],
      default: "Retain",
      advanced: true,
    },
    {
      path: "spec.rackAwareness.enabled",
      label: "Spread over zones",
      help: "Place replicas of each partition in different zones (broker.rack = the node's zone).",
      type: "boolean",
      default: true,
      advanced: true,
    },
    {
      path: "spec.config",
      label: "Kafka settings",
      help: "Broker and controller settings; only the listed ones are accepted. Changing them restarts the members one at a time.",
      type: "settings",
      advanced: true,
      settings: Object.fromEntries(Object.entries(KAFKA_SETTINGS).map(([key, s]) => [key, { help: s.help, expected: describeKind(s.kind), kind: s.kind }])),
    },
  ],
};
