// The Kafka settings a KafkaCluster's `spec.config` accepts: the ones platform users tune, valid in
// every supported version (3.7 to 4.3). Anything else is refused by the API server (the CRD's CEL
// rules are generated from this table; crd.test.ts keeps the two in step).

import type { Setting, SettingKind, SettingsTable } from "../shared/settings";

/** Which nodes read a setting: brokers, controllers (the KRaft quorum) or both. */
export type KafkaSettingScope = "broker" | "controller" | "all";

const bool = { type: "boolean" } as const;
const int = (min: number) => ({ type: "integer", min }) as const;
const b = (kind: SettingKind, help: string): Setting<KafkaSettingScope> => ({ kind, scope: "broker", help });
const c = (kind: SettingKind, help: string): Setting<KafkaSettingScope> => ({ kind, scope: "controller", help });
const a = (kind: SettingKind, help: string): Setting<KafkaSettingScope> => ({ kind, scope: "all", help });

export const KAFKA_SETTINGS: Readonly<Record<string, Setting<KafkaSettingScope>>> = {
  "auto.create.topics.enable": b(bool, "Create a topic when a client first uses it"),
  "auto.leader.rebalance.enable": b(bool, "Move partition leadership back to preferred replicas periodically"),
  "background.threads": a(int(1), "Threads for background work"),
  "compression.type": b(
    { type: "enum", values: ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"] },
    "Default compression of topics (producer keeps what producers send)",
  ),
  "connections.max.idle.ms": a(int(1), "Close connections idle this long"),
  "delete.topic.enable": b(bool, "Allow deleting topics"),
  "group.initial.rebalance.delay.ms": b(int(0), "Wait this long for more members before the first consumer group rebalance"),
  "group.max.session.timeout.ms": b(int(1), "Longest session timeout a consumer may ask for"),
  "group.min.session.timeout.ms": b(int(1), "Shortest session timeout a consumer may ask for"),
  "leader.imbalance.check.interval.seconds": b(int(1), "How often leader balance is checked"),
  "leader.imbalance.per.broker.percentage": b(int(0), "Leader imbalance per broker that triggers a rebalance"),
  "log.cleaner.delete.retention.ms": b(int(0), "How long delete markers stay in compacted topics"),
  "log.cleaner.enable": b(bool, "Run the log cleaner (needed by compacted topics)"),
  "log.cleaner.min.cleanable.ratio": b({ type: "ratio" }, "Share of a log that must be dirty before it is compacted"),
  "log.cleaner.threads": b(int(0), "Threads compacting logs"),
  "log.cleanup.policy": b({ type: "list", values: ["delete", "compact"] }, "Default cleanup of topics: delete, compact or both"),
  "log.flush.interval.messages": b(int(1), "Messages written before a forced flush to disk"),
  "log.flush.interval.ms": b(int(0), "Longest time a message stays unflushed"),
  "log.index.interval.bytes": b(int(0), "Bytes between offset index entries"),
  "log.index.size.max.bytes": b(int(4), "Largest offset index file"),
  "log.message.timestamp.type": b({ type: "enum", values: ["CreateTime", "LogAppendTime"] }, "Which time a message's timestamp records"),
  "log.preallocate": b(bool, "Preallocate segment files"),
  "log.retention.bytes": b(int(-1), "Bytes kept per partition before old segments go (-1: no limit)"),
  "log.retention.check.interval.ms": b(int(1), "How often retention is enforced"),
  "log.retention.hours": b(int(-1), "Hours a message is kept (-1: forever)"),
  "log.retention.minutes": b(int(-1), "Minutes a message is kept; overrides hours"),
  "log.retention.ms": b(int(-1), "Milliseconds a message is kept; overrides minutes (-1: forever)"),
  "log.roll.hours": b(int(1), "Hours before a new segment is started"),
  "log.roll.ms": b(int(1), "Milliseconds before a new segment is started; overrides hours"),
  "log.segment.bytes": b(int(1_048_576), "Size of one segment file (at least 1 MiB)"),
  "log.segment.delete.delay.ms": b(int(0), "Delay before a deleted segment's file is removed"),
  "max.connections": a(int(0), "Connections a node accepts in all"),
  "max.connections.per.ip": a(int(0), "Connections a node accepts from one address"),
  "max.incremental.fetch.session.cache.slots": b(int(0), "Incremental fetch sessions cached"),
  "message.max.bytes": b(int(0), "Largest record batch a topic accepts by default"),
  "num.io.threads": a(int(1), "Threads handling requests (disk I/O included)"),
  "num.network.threads": a(int(1), "Threads handling network traffic"),
  "num.partitions": b(int(1), "Partitions of an automatically created topic"),
  "num.recovery.threads.per.data.dir": b(int(1), "Threads recovering logs at start and flushing at shutdown"),
  "num.replica.fetchers": b(int(1), "Threads fetching from each leader for replication"),
  "offsets.retention.minutes": b(int(1), "How long committed offsets of an empty group are kept"),
  "offsets.topic.num.partitions": b(int(1), "Partitions of the offsets topic (fixed once created)"),
  "queued.max.requests": a(int(1), "Requests queued before network threads stop reading"),
  "replica.fetch.max.bytes": b(int(0), "Bytes fetched per partition by replication"),
  "replica.lag.time.max.ms": b(int(1), "A follower this far behind leaves the in-sync replicas"),
  "replica.selector.class": b(
    { type: "enum", values: ["org.apache.kafka.common.replica.RackAwareReplicaSelector"] },
    "Let consumers fetch from a replica in their own zone (with rack awareness)",
  ),
  "socket.receive.buffer.bytes": a(int(-1), "Socket receive buffer (-1: the system's)"),
  "socket.request.max.bytes": a(int(1), "Largest request accepted"),
  "socket.send.buffer.bytes": a(int(-1), "Socket send buffer (-1: the system's)"),
  "transaction.max.timeout.ms": b(int(1), "Longest transaction timeout a producer may ask for"),
  "transaction.state.log.num.partitions": b(int(1), "Partitions of the transaction log (fixed once created)"),
  "transactional.id.expiration.ms": b(int(1), "Idle time after which a transactional id is forgotten"),
  "unclean.leader.election.enable": b(bool, "Let an out-of-sync replica become leader (loses data)"),
  "controller.quorum.election.backoff.max.ms": a(int(1), "Longest wait before a new controller election"),
  "controller.quorum.election.timeout.ms": a(int(1), "Time without a leader before an election"),
  "controller.quorum.fetch.timeout.ms": a(int(1), "Time without a fetch from the leader before a voter starts an election"),
  "controller.quorum.request.timeout.ms": a(int(1), "Timeout of quorum requests"),
  "controller.quorum.retry.backoff.ms": a(int(0), "Wait before retrying a failed quorum request"),
  "metadata.log.max.record.bytes.between.snapshots": c(int(1), "Metadata log bytes between snapshots"),
  "metadata.log.max.snapshot.interval.ms": c(int(0), "Longest time between metadata snapshots (0: none by time)"),
  "metadata.log.segment.bytes": c(int(12), "Size of one metadata log segment"),
  "metadata.log.segment.ms": c(int(1), "Time before a new metadata log segment is started"),
  "metadata.max.retention.bytes": c(int(-1), "Metadata log bytes kept (-1: no limit)"),
  "metadata.max.retention.ms": c(int(-1), "How long metadata log snapshots are kept (-1: forever)"),
};

/**
 * Settings the operator writes itself, each with where it comes from; `spec.config` must not set
 * them (the API server says so, naming the field to use).
 */
export const MANAGED_SETTINGS: Readonly<Record<string, string>> = {
  "node.id": "the pod ordinal",
  "broker.id": "the pod ordinal",
  "process.roles": "spec.controllers.mode",
  "controller.quorum.voters": "spec.controllers",
  "controller.quorum.bootstrap.servers": "spec.controllers",
  "controller.listener.names": "the operator",
  listeners: "spec.listeners",
  "advertised.listeners": "spec.listeners",
  "listener.security.protocol.map": "spec.listeners",
  "inter.broker.listener.name": "the operator",
  "log.dirs": "spec.storage",
  "log.dir": "spec.storage",
  "metadata.log.dir": "spec.storage",
  "broker.rack": "spec.rackAwareness",
  "default.replication.factor": "spec.replication.factor",
  "offsets.topic.replication.factor": "spec.replication.factor",
  "transaction.state.log.replication.factor": "spec.replication.factor",
  "min.insync.replicas": "spec.replication.minInSync",
  "transaction.state.log.min.isr": "spec.replication.minInSync",
};

export const KAFKA_SETTINGS_TABLE: SettingsTable = { product: "Kafka", known: KAFKA_SETTINGS, managed: MANAGED_SETTINGS };
