import type { Setting, SettingKind, SettingsTable } from "../shared/settings";

// The postgresql.conf settings a PostgresCluster's `spec.config` accepts: the ones platform users
// tune, valid in every supported version (15 to 17). The CRD's CEL rules are generated from this
// table (operators/write-config-rules.ts; crd.test.ts keeps them in step). Every server reads the
// same file: a hot standby refuses to start with max_connections, max_worker_processes,
// max_wal_senders, max_prepared_transactions or max_locks_per_transaction below its primary's.

const bool = { type: "boolean" } as const;
const int = (min: number) => ({ type: "integer", min }) as const;
/** PostgreSQL memory units are case-sensitive: 128MB, 4GB, 64kB; a bare number is in the setting's own unit. */
const size: SettingKind = { type: "pattern", pattern: "^[0-9]+(B|kB|MB|GB|TB)?$", description: "a size such as 512MB, 4GB or a number in the setting's unit" };
const duration: SettingKind = { type: "pattern", pattern: "^[0-9]+(us|ms|s|min|h|d)?$", description: "a duration such as 30s or 5min (a bare number is in the setting's unit)" };
const decimal: SettingKind = { type: "pattern", pattern: "^[0-9]+([.][0-9]+)?$", description: "a decimal number such as 1.1" };
const s = (kind: SettingKind, help: string): Setting<"postgres"> => ({ kind, scope: "postgres", help });

export const POSTGRES_SETTINGS: Readonly<Record<string, Setting<"postgres">>> = {
  autovacuum: s(bool, "Run the autovacuum launcher"),
  autovacuum_analyze_scale_factor: s({ type: "ratio" }, "Share of a table changed before it is analyzed"),
  autovacuum_max_workers: s(int(1), "Autovacuum workers at once"),
  autovacuum_naptime: s(duration, "Pause between autovacuum runs on a database"),
  autovacuum_vacuum_scale_factor: s({ type: "ratio" }, "Share of a table updated or deleted before it is vacuumed"),
  checkpoint_completion_target: s({ type: "ratio" }, "Share of the checkpoint interval over which a checkpoint's writes are spread"),
  checkpoint_timeout: s(duration, "Longest time between automatic checkpoints (30s to 1d)"),
  default_statistics_target: s(int(1), "Detail of the planner's column statistics"),
  effective_cache_size: s(size, "The planner's assumption of the memory available for caching"),
  effective_io_concurrency: s(int(0), "Concurrent disk reads the planner assumes (local disks: 200)"),
  hot_standby_feedback: s(bool, "Replicas tell the primary which rows their queries still need"),
  idle_in_transaction_session_timeout: s(duration, "End a session idle in a transaction this long (0: never)"),
  jit: s(bool, "Compile parts of expensive queries"),
  lock_timeout: s(duration, "Give up waiting for a lock after this long (0: never)"),
  log_connections: s(bool, "Log every connection"),
  log_disconnections: s(bool, "Log every session's end and duration"),
  log_lock_waits: s(bool, "Log waits for a lock longer than deadlock_timeout"),
  log_min_duration_statement: s(int(-1), "Log statements slower than this many milliseconds (-1: off)"),
  log_statement: s({ type: "enum", values: ["none", "ddl", "mod", "all"] }, "Which statements are logged"),
  maintenance_work_mem: s(size, "Memory for VACUUM, CREATE INDEX and similar"),
  max_connections: s(int(1), "Client connections at once (more than superuser_reserved_connections)"),
  max_locks_per_transaction: s(int(10), "Locks per transaction in the shared lock table"),
  max_parallel_workers: s(int(0), "Parallel workers at once"),
  max_parallel_workers_per_gather: s(int(0), "Parallel workers one query node may use"),
  max_prepared_transactions: s(int(0), "Prepared (two-phase) transactions at once (0: off)"),
  max_replication_slots: s(int(0), "Replication slots (logical decoding and tools)"),
  max_standby_streaming_delay: s({ type: "pattern", pattern: "^(-1|[0-9]+(us|ms|s|min|h|d)?)$", description: "a duration such as 30s, or -1 to wait forever" }, "How long a replica delays replay for its queries"),
  max_wal_senders: s(int(0), "WAL sender processes (at least spec.replicas + 1)"),
  max_wal_size: s(size, "WAL growth that triggers a checkpoint"),
  max_worker_processes: s(int(0), "Background worker processes"),
  min_wal_size: s(size, "WAL kept for reuse after checkpoints"),
  random_page_cost: s(decimal, "The planner's cost of a random page read (local SSDs: 1.1)"),
  shared_buffers: s(size, "Memory for PostgreSQL's page cache (about a quarter of the memory limit)"),
  shared_preload_libraries: s({ type: "list", values: ["pg_stat_statements", "auto_explain"] }, "Libraries loaded at start"),
  statement_timeout: s(duration, "Cancel statements running longer (0: never)"),
  superuser_reserved_connections: s(int(0), "Connections kept for superusers (less than max_connections)"),
  synchronous_commit: s({ type: "enum", values: ["on", "off", "local", "remote_write", "remote_apply"] }, "Whether a commit waits for its WAL to be flushed"),
  temp_buffers: s(size, "Memory per session for temporary tables"),
  track_io_timing: s(bool, "Time disk reads and writes (for statistics)"),
  wal_compression: s(bool, "Compress full-page images in the WAL"),
  wal_keep_size: s(size, "WAL kept for replicas that fall behind (past it they must be re-cloned)"),
  wal_level: s({ type: "enum", values: ["replica", "logical"] }, "WAL detail: replica (streaming replication) or logical (also logical decoding)"),
  work_mem: s(size, "Memory per sort or hash before it spills to disk"),
};

/** Settings the operator writes itself, each with where it comes from. */
export const MANAGED_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  port: "the operator (5432)",
  listen_addresses: "the operator",
  unix_socket_directories: "the operator",
  data_directory: "spec.storage",
  config_file: "the operator",
  hba_file: "the operator",
  ident_file: "the operator",
  external_pid_file: "the operator",
  hot_standby: "the operator",
  primary_conninfo: "the operator (the primary Service)",
  primary_slot_name: "the operator",
  cluster_name: "the resource's name",
  logging_collector: "the operator (standard error)",
  log_destination: "the operator (standard error)",
  password_encryption: "the operator (scram-sha-256)",
  ssl: "the operator",
  archive_mode: "the operator",
  archive_command: "the operator",
  restore_command: "the operator",
};

export const POSTGRES_SETTINGS_TABLE: SettingsTable = { product: "PostgreSQL", known: POSTGRES_SETTINGS, managed: MANAGED_POSTGRES_SETTINGS };
