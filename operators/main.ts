// xlss-operators: one process running the controller of every middleware kind (operators/kinds.ts)
// on the shared controller runtime (lib/k8s). Leader-elected: run two replicas, one works at a time.
//
//   --metrics-port N         serve /metrics and /healthz [$METRICS_PORT, 9813; 0 disables]
//   --metrics-host ADDR      [127.0.0.1]
//   --concurrency N          resources of one kind reconciled at once [8]
//   --kafka-image REPO       Kafka image repository, tagged with the version [apache/kafka]
//   --redis-image REPO       Redis image repository, tagged with the version [redis]
//   --postgres-image REPO    PostgreSQL image repository, tagged with the version [postgres]
//   --startup-grace-ms N     a member not ready this long after its pod was created makes its cluster Degraded [300000]
import { parseArgs } from "node:util";
import type { KubernetesObject } from "@kubernetes/client-node";
import { kubeClients } from "../lib/k8s/client";
import { EventRecorder } from "../lib/k8s/events";
import type { Informer } from "../lib/k8s/informer";
import { Manager } from "../lib/k8s/manager";
import { log as rootLog } from "../lib/log";
import { SYSTEM_NAMESPACE } from "../lib/xlss/api/types";
import { middlewareKinds } from "./kinds";
import { ChildApplier } from "./shared/child-applier";
import { managedInformers } from "./shared/informers";
import { OPERATORS } from "./shared/labels";

const { values } = parseArgs({
  options: {
    "metrics-port": { type: "string", default: process.env.METRICS_PORT ?? "9813" },
    "metrics-host": { type: "string", default: "127.0.0.1" },
    concurrency: { type: "string", default: "8" },
    "kafka-image": { type: "string", default: "apache/kafka" },
    "redis-image": { type: "string", default: "redis" },
    "postgres-image": { type: "string", default: "postgres" },
    "startup-grace-ms": { type: "string", default: "300000" },
  },
});

const log = rootLog.child({ component: OPERATORS });
const clients = kubeClients();
const metricsPort = Number(values["metrics-port"]);
const manager = new Manager({
  clients,
  log,
  leaderElection: { namespace: SYSTEM_NAMESPACE, name: OPERATORS },
  metrics: metricsPort > 0 ? { port: metricsPort, host: values["metrics-host"] } : undefined,
});

const owned = managedInformers(manager, clients, log);
const applier = new ChildApplier(clients);
for (const informer of Object.values(owned) as Informer<KubernetesObject>[]) informer.on("delete", (obj) => applier.forget(obj));
const ctx = { manager, clients, log, owned, applier, events: new EventRecorder(clients, OPERATORS, log), concurrency: Number(values.concurrency) };
const startupGraceMs = Number(values["startup-grace-ms"]);
const kinds = middlewareKinds({
  kafka: { image: values["kafka-image"], startupGraceMs },
  redis: { image: values["redis-image"], startupGraceMs },
  postgres: { image: values["postgres-image"], startupGraceMs },
});
for (const kind of kinds) kind.setupWithManager(ctx);

log.info({ kinds: kinds.map((k) => k.form.kind) }, "starting");
await manager.run();
