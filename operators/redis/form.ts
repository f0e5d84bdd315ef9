import type { KindForm } from "../kind";
import { PAAS_API_VERSION } from "../shared/labels";
import { describeKind } from "../shared/settings";
import { REDIS_SETTINGS } from "./settings";
import { DEFAULT_REDIS_VERSION, REDIS_KIND, REDIS_PLURAL, REDIS_VERSIONS } from "./types";

// The console's request form for a RedisCluster. Defaults, options and bounds repeat the CRD's
// (form.test.ts checks them against it).

export const redisForm: KindForm = {
  kind: REDIS_KIND,
  apiVersion: PAAS_API_VERSION,
  plural: REDIS_PLURAL,
  title: "Redis",
  description: "A Redis master with replicas and Sentinel failover on fast local disks, with scheduled backups and automatic recovery when a node dies.",
  fields: [
    { path: "spec.version", label: "Version", help: "Redis release. Upgrades go forward only.", type: "select", options: REDIS_VERSIONS, default: DEFAULT_REDIS_VERSION },
    { path: "spec.replicas", label: "Servers", help: "Redis servers: one master, the others replicas ready to take over.", type: "integer", default: 3, min: 1, max: 9 },
    { path: "spec.resources.requests.memory", label: "Memory per server", help: "Memory reserved for each server, e.g. 4Gi; set maxmemory below it.", type: "quantity", default: "1Gi" },
    { path: "spec.resources.requests.cpu", label: "CPU per server", help: "Cores reserved for each server, e.g. 500m.", type: "quantity", default: "250m" },
    { path: "spec.storage.size", label: "Disk per server", help: "Size of each server's local volume (snapshots and the append-only file). Can grow later, never shrink.", type: "quantity", default: "5Gi" },
    {
      path: "spec.backup.schedule",
      label: "Backup schedule",
      help: "When to back up every server's volume: '@every 6h' or a cron expression in UTC such as '0 3 * * *'. Empty: no backups.",
      type: "text",
    },
    { path: "spec.backup.retention", label: "Backups kept", help: "e.g. last=7 or daily=7,weekly=4.", type: "text", default: "last=7" },
    { path: "spec.sentinel.replicas", label: "Sentinels", help: "Sentinels watching the master; a majority must agree on a failover.", type: "select", options: [3, 5], default: 3, advanced: true },
    {
      path: "spec.sentinel.downAfterMilliseconds",
      label: "Failover after (ms)",
      help: "A master silent this long is replaced by a replica.",
      type: "integer",
      default: 5000,
      min: 1000,
      advanced: true,
    },
    {
      path: "spec.storage.claimRetention.whenDeleted",
      label: "Volumes when deleted",
      help: "Retain keeps the servers' volumes after the cluster is deleted; Delete removes them.",
      type: "select",
      options: ["Retain", "Delete"],
      default: "Retain",
      advanced: true,
    },
    { path: "spec.spreadOverZones", label: "Spread over zones", help: "Place servers and sentinels in different zones.", type: "boolean", default: true, advanced: true },
    {
      path: "spec.config",
      label: "Redis settings",
      help: "redis.conf settings; only the listed ones are accepted. Changing them restarts the servers one at a time.",
      type: "settings",
      advanced: true,
      settings: Object.fromEntries(Object.entries(REDIS_SETTINGS).map(([key, s]) => [key, { help: s.help, expected: describeKind(s.kind), kind: s.kind }])),
    },
  ],
};
