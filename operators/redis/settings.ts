import type { Setting, SettingKind, SettingsTable } from "../shared/settings";

// The redis.conf settings a RedisCluster's `spec.config` accepts: the ones platform users tune,
// valid in every supported version (7.2 to 8.4). The CRD's CEL rules are generated from this table
// (operators/write-config-rules.ts; crd.test.ts keeps them in step). Sentinel's own settings are
// typed fields of spec.sentinel.

const yesno = { type: "yesno" } as const;
const int = (min: number) => ({ type: "integer", min }) as const;
/** Redis memory units: 1gb, 512mb, 100kb, a number of bytes. */
const bytes: SettingKind = { type: "pattern", pattern: "^[0-9]+([kmgKMG][bB]?|[bB])?$", description: "a size such as 2gb, 512mb or a number of bytes" };
const s = (kind: SettingKind, help: string): Setting<"redis"> => ({ kind, scope: "redis", help });

export const REDIS_SETTINGS: Readonly<Record<string, Setting<"redis">>> = {
  "active-expire-effort": s(int(1), "Effort spent expiring keys, 1 to 10"),
  activedefrag: s(yesno, "Defragment memory while running"),
  appendfsync: s({ type: "enum", values: ["always", "everysec", "no"] }, "How often the append-only file is synced to disk"),
  appendonly: s(yesno, "Keep an append-only file (durable writes)"),
  "auto-aof-rewrite-min-size": s(bytes, "Smallest append-only file that is rewritten"),
  "auto-aof-rewrite-percentage": s(int(0), "Growth that triggers an append-only file rewrite (0: never)"),
  databases: s(int(1), "Number of logical databases"),
  hz: s(int(1), "Background task frequency per second"),
  "io-threads": s(int(1), "Threads for network I/O"),
  "latency-monitor-threshold": s(int(0), "Record events slower than this many milliseconds (0: off)"),
  "lazyfree-lazy-eviction": s(yesno, "Free evicted keys in the background"),
  "lazyfree-lazy-expire": s(yesno, "Free expired keys in the background"),
  "lazyfree-lazy-server-del": s(yesno, "Free keys deleted by the server in the background"),
  "lazyfree-lazy-user-del": s(yesno, "Make DEL free in the background, like UNLINK"),
  maxclients: s(int(1), "Clients connected at once"),
  maxmemory: s(bytes, "Memory for data; past it the eviction policy applies (0: no limit)"),
  "maxmemory-policy": s(
    { type: "enum", values: ["noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"] },
    "What is evicted when maxmemory is reached",
  ),
  "maxmemory-samples": s(int(1), "Keys sampled per eviction"),
  "min-replicas-max-lag": s(int(0), "Seconds a replica may lag and still count for min-replicas-to-write"),
  "min-replicas-to-write": s(int(0), "Replicas that must be in sync for the master to accept writes (less than spec.replicas)"),
  "notify-keyspace-events": s({ type: "pattern", pattern: "^[KEg$lshzxetmdnA]*$", description: "event classes such as Ex or KEA" }, "Keyspace events published to subscribers"),
  "repl-backlog-size": s(bytes, "Replication backlog (lets a replica resume after a short break)"),
  "repl-diskless-sync": s(yesno, "Send the full resync to replicas without writing it to disk"),
  "repl-timeout": s(int(1), "Seconds before a replication link is considered broken"),
  "replica-lazy-flush": s(yesno, "Flush a replica's old data in the background on full resync"),
  save: s(
    { type: "pattern", pattern: "^([0-9]+ [0-9]+( [0-9]+ [0-9]+)*)?$", description: "pairs of seconds and changes such as '3600 1 300 100', or empty for no snapshots" },
    "When to write RDB snapshots",
  ),
  "slowlog-log-slower-than": s(int(-1), "Log commands slower than this many microseconds (-1: off)"),
  "slowlog-max-len": s(int(0), "Entries kept in the slow log"),
  "tcp-keepalive": s(int(0), "Seconds between TCP keepalives (0: off)"),
  timeout: s(int(0), "Close a client idle this many seconds (0: never)"),
};

/** Settings the operator writes itself, each with where it comes from. */
export const MANAGED_REDIS_SETTINGS: Readonly<Record<string, string>> = {
  port: "the operator (6379)",
  bind: "the operator",
  "protected-mode": "the operator",
  dir: "spec.storage",
  dbfilename: "the operator",
  appenddirname: "the operator",
  replicaof: "Sentinel (the current master)",
  slaveof: "Sentinel (the current master)",
  "replica-announce-ip": "the pod's host name",
  "replica-announce-port": "the operator",
  daemonize: "the operator",
  logfile: "the operator (standard output)",
  pidfile: "the operator",
  include: "the operator",
  "rename-command": "the operator",
  "enable-debug-command": "the operator",
};

export const REDIS_SETTINGS_TABLE: SettingsTable = { product: "Redis", known: REDIS_SETTINGS, managed: MANAGED_REDIS_SETTINGS };
