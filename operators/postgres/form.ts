import type { KindForm } from "../kind";
import { PAAS_API_VERSION } from "../shared/labels";
import { describeKind } from "../shared/settings";
import { POSTGRES_SETTINGS } from "./settings";
import { DEFAULT_POSTGRES_VERSION, POSTGRES_KIND, POSTGRES_PLURAL, POSTGRES_VERSIONS } from "./types";

// The console's request form for a PostgresCluster. Defaults, options and bounds repeat the CRD's
// (crd.test.ts checks them against it).

export const postgresForm: KindForm = {
  kind: POSTGRES_KIND,
  apiVersion: PAAS_API_VERSION,
  plural: POSTGRES_PLURAL,
  title: "PostgreSQL",
  description: "A PostgreSQL primary with streaming replicas on fast local disks, each with its own copy of the data, with scheduled backups and automatic recovery when a node dies.",
  fields: [
    {
      path: "spec.version",
      label: "Version",
      help: "PostgreSQL release (the postgres image's tag). Minor updates go forward only; a new major version needs a new cluster.",
      type: "select",
      options: POSTGRES_VERSIONS,
      default: DEFAULT_POSTGRES_VERSION,
    },
    { path: "spec.replicas", label: "Servers", help: "PostgreSQL servers: one primary and the rest streaming replicas for reads.", type: "integer", default: 2, min: 1, max: 9 },
    { path: "spec.resources.requests.memory", label: "Memory per server", help: "Memory reserved for each server, e.g. 4Gi; set shared_buffers to about a quarter of it.", type: "quantity", default: "1Gi" },
    { path: "spec.resources.requests.cpu", label: "CPU per server", help: "Cores reserved for each server, e.g. 500m.", type: "quantity", default: "500m" },
    { path: "spec.storage.size", label: "Disk per server", help: "Size of each server's local volume (its own copy of the data and WAL). Can grow later, never shrink.", type: "quantity", default: "10Gi" },
    {
      path: "spec.backup.schedule",
      label: "Backup schedule",
      help: "When to back up every server's volume: '@every 6h' or a cron expression in UTC such as '0 3 * * *'. Empty: no backups.",
      type: "text",
    },
    { path: "spec.backup.retention", label: "Backups kept", help: "e.g. last=7 or daily=7,weekly=4.", type: "text", default: "last=7" },
    {
      path: "spec.storage.claimRetention.whenDeleted",
      label: "Volumes when deleted",
      help: "Retain keeps the servers' volumes after the cluster is deleted; Delete removes them.",
      type: "select",
      options: ["Retain", "Delete"],
      default: "Retain",
      advanced: true,
    },
    { path: "spec.spreadOverZones", label: "Spread over zones", help: "Place the primary and the replicas in different zones.", type: "boolean", default: true, advanced: true },
    {
      path: "spec.config",
      label: "PostgreSQL settings",
      help: "postgresql.conf settings; only the listed ones are accepted. Changing them restarts the servers one at a time, replicas first.",
      type: "settings",
      advanced: true,
      settings: Object.fromEntries(Object.entries(POSTGRES_SETTINGS).map(([key, s]) => [key, { help: s.help, expected: describeKind(s.kind), kind: s.kind }])),
    },
  ],
};
