// xlss-scheduler: a second scheduler for stateful pods (`schedulerName: xlss-scheduler`). It only
// ever touches pods that name it, so pods never fall through to another scheduler while it is down.
// Leader-elected: two replicas for availability, one schedules.
//
//   --config FILE        an XlssSchedulerConfiguration: one profile's plugins, weights and plugin
//                        args on top of the defaults (docs/scheduler.md) [the default profile]
//   --name NAME          the schedulerName it serves, if the config file names none [xlss-scheduler]
//   --metrics-port N     serve /metrics and /healthz [$METRICS_PORT, 9812; 0 disables]
//   --metrics-host ADDR  [127.0.0.1]
// An invalid config file ends the process with status 1 and a message naming the bad field.
import { parseArgs } from "node:util";
import type {
  KubernetesObject,
  V1CSIStorageCapacity,
  V1Lease,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StorageClass,
} from "@kubernetes/client-node";
import { kubeClients } from "../../k8s/client";
import { EventRecorder } from "../../k8s/events";
import type { Informer } from "../../k8s/informer";
import { Manager } from "../../k8s/manager";
import { log as rootLog } from "../../log";
import { listBackups } from "../api/client";
import { clusterPath, PLURALS, SYSTEM_NAMESPACE, type XlssBackup } from "../api/types";
import { SchedulerCache } from "./cache";
import { ConfigError, DEFAULT_CONFIGURATION, DEFAULT_SCHEDULER_NAME, loadConfig } from "./config";
import { DEFAULT_PLUGINS } from "./default-profile";
import { Framework } from "./framework/framework";
import { WaitingPods } from "./framework/waiting-pods";
import type { SchedulerHandle } from "./handle";
import { inTreeRegistry } from "./plugins/registry";
import { buildProfile } from "./profile";
import { SchedulingQueue } from "./queue";
import { Scheduler } from "./scheduler";

const { values } = parseArgs({
  options: {
    config: { type: "string" },
    name: { type: "string" },
    "metrics-port": { type: "string", default: process.env.METRICS_PORT ?? "9812" },
    "metrics-host": { type: "string", default: "127.0.0.1" },
  },
});

const log = rootLog.child({ component: "xlss-scheduler" });
function exitOnConfigError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    log.fatal({ config: values.config ?? "(defaults)", err: err.message }, `invalid scheduler configuration: ${err.message}`);
    process.exit(1);
  }
}

const profileConfig = exitOnConfigError(() => {
  const profile = (values.config ? loadConfig(values.config) : DEFAULT_CONFIGURATION).profiles[0]!;
  if (profile.schedulerName && values.name && profile.schedulerName !== values.name) {
    throw new ConfigError(`profiles[0].schedulerName: ${profile.schedulerName} disagrees with --name ${values.name}; give one of them`);
  }
  return profile;
});
const schedulerName = profileConfig.schedulerName ?? values.name ?? DEFAULT_SCHEDULER_NAME;

const clients = kubeClients();
const manager = new Manager({
  clients,
  log,
  leaderElection: { namespace: SYSTEM_NAMESPACE, name: schedulerName },
  metrics: Number(values["metrics-port"]) > 0 ? { port: Number(values["metrics-port"]), host: values["metrics-host"] } : undefined,
});

const waitingPods = new WaitingPods();
const handle: SchedulerHandle = {
  clients,
  nodes: manager.watch<V1Node>({ path: "/api/v1/nodes", list: () => clients.core.listNode() }),
  pods: manager.watch<V1Pod>({ path: "/api/v1/pods", list: () => clients.core.listPodForAllNamespaces() }),
  claims: manager.watch<V1PersistentVolumeClaim>({
    path: "/api/v1/persistentvolumeclaims",
    list: () => clients.core.listPersistentVolumeClaimForAllNamespaces(),
  }),
  volumes: manager.watch<V1PersistentVolume>({ path: "/api/v1/persistentvolumes", list: () => clients.core.listPersistentVolume() }),
  classes: manager.watch<V1StorageClass>({ path: "/apis/storage.k8s.io/v1/storageclasses", list: () => clients.storage.listStorageClass() }),
  capacities: manager.watch<V1CSIStorageCapacity>({
    path: "/apis/storage.k8s.io/v1/csistoragecapacities",
    list: () => clients.storage.listCSIStorageCapacityForAllNamespaces(),
  }),
  agentLeases: manager.watch<V1Lease>({
    path: `/apis/coordination.k8s.io/v1/namespaces/${SYSTEM_NAMESPACE}/leases`,
    list: () => clients.coordination.listNamespacedLease({ namespace: SYSTEM_NAMESPACE }),
  }),
  backups: manager.watch<XlssBackup>({ path: clusterPath(PLURALS.backup), list: (s) => listBackups(clients, s) }),
  events: new EventRecorder(clients, schedulerName, log),
  waitingPods,
};
const profile = exitOnConfigError(() => buildProfile({ ...profileConfig, schedulerName }, inTreeRegistry(), handle, DEFAULT_PLUGINS));
const framework = new Framework(profile.plugins, { waitingPods, log });
const queue = new SchedulingQueue(framework.less);
const scheduler = new Scheduler({ cache: new SchedulerCache(handle.nodes, handle.pods), queue, framework, events: handle.events, log });

// Intake: pending pods that name this scheduler. Any change that can free room or satisfy a
// constraint (a node, a pod leaving, a claim bound, capacity published) retries the parked ones.
const { pods, nodes, claims, volumes, capacities, agentLeases, backups } = handle;
const ours = (p: V1Pod) => p.spec?.schedulerName === schedulerName && !p.spec.nodeName && !p.metadata?.deletionTimestamp;
pods.on("add", (p) => (ours(p) ? queue.add(p) : queue.moveAllToActive()));
pods.on("update", (p) => {
  if (ours(p)) return queue.add(p);
  queue.remove(p);
  queue.moveAllToActive();
});
pods.on("delete", (p) => {
  queue.remove(p);
  // A pod held by Permit that is gone must not be bound.
  waitingPods.reject(p.metadata?.uid ?? "", "", "the pod was deleted");
  queue.moveAllToActive();
});
const retryParked = () => queue.moveAllToActive();
// Agents' heartbeats come every few seconds: they also retry pods waiting for a node to be judged gone.
for (const inf of [nodes, claims, volumes, capacities, agentLeases, backups] as Informer<KubernetesObject>[]) {
  inf.on("add", retryParked);
  inf.on("update", retryParked);
}
manager.addRunnable((signal) => scheduler.run(signal));

log.info({ schedulerName, config: values.config ?? "(defaults)" }, "starting");
await manager.run();
