// xlss-scheduler: a second scheduler for stateful pods (`schedulerName: xlss-scheduler`). It only
// ever touches pods that name it, so pods never fall through to another scheduler while it is down.
// Leader-elected: two replicas for availability, one schedules.
//
//   --name NAME          the schedulerName it serves [xlss-scheduler]
//   --metrics-port N     serve /metrics and /healthz [$METRICS_PORT, 9812; 0 disables]
//   --metrics-host ADDR  [127.0.0.1]
import { parseArgs } from "node:util";
import type {
  KubernetesObject,
  V1CSIStorageCapacity,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StorageClass,
} from "@kubernetes/client-node";
import { kubeClients } from "../../k8s/client";
import { EventRecorder } from "../../k8s/events";
import { Informer, type ListFn } from "../../k8s/informer";
import { Manager } from "../../k8s/manager";
import { log as rootLog } from "../../log";
import { SYSTEM_NAMESPACE } from "../api/types";
import { SchedulerCache } from "./cache";
import { Framework } from "./framework/framework";
import { nodeAffinity, nodeName, nodeResourcesFit, nodeUnschedulable, taintToleration } from "./plugins/filters";
import { interPodAffinity, podTopologySpread } from "./plugins/spreading";
import { VOLUME_BINDING, volumeBinding, type VolumeBindingDeps } from "./plugins/volume-binding";
import { PLUGIN } from "./plugins/names";
import { Registry } from "./framework/registry";
import { implementsPreBind } from "./framework/interfaces";
import { SchedulingQueue } from "./queue";
import { Scheduler } from "./scheduler";

const { values } = parseArgs({
  options: {
    name: { type: "string", default: "xlss-scheduler" },
    "metrics-port": { type: "string", default: process.env.METRICS_PORT ?? "9812" },
    "metrics-host": { type: "string", default: "127.0.0.1" },
  },
});

const log = rootLog.child({ component: "xlss-scheduler" });
const clients = kubeClients();
const manager = new Manager({
  clients,
  log,
  leaderElection: { namespace: SYSTEM_NAMESPACE, name: values.name },
  metrics: Number(values["metrics-port"]) > 0 ? { port: Number(values["metrics-port"]), host: values["metrics-host"] } : undefined,
});
function informer<T extends KubernetesObject>(path: string, list: ListFn<T>): Informer<T> {
  return manager.addInformer(new Informer<T>(clients.kc, { path, list }, log));
}

const nodes = informer<V1Node>("/api/v1/nodes", () => clients.core.listNode());
const pods = informer<V1Pod>("/api/v1/pods", () => clients.core.listPodForAllNamespaces());
const claims = informer<V1PersistentVolumeClaim>("/api/v1/persistentvolumeclaims", () => clients.core.listPersistentVolumeClaimForAllNamespaces());
const volumes = informer<V1PersistentVolume>("/api/v1/persistentvolumes", () => clients.core.listPersistentVolume());
const classes = informer<V1StorageClass>("/apis/storage.k8s.io/v1/storageclasses", () => clients.storage.listStorageClass());
const capacities = informer<V1CSIStorageCapacity>("/apis/storage.k8s.io/v1/csistoragecapacities", () =>
  clients.storage.listCSIStorageCapacityForAllNamespaces(),
);

const queue = new SchedulingQueue();
const registry = new Registry<VolumeBindingDeps>()
  .register(PLUGIN.NodeName, () => nodeName)
  .register(PLUGIN.NodeUnschedulable, () => nodeUnschedulable)
  .register(PLUGIN.TaintToleration, () => taintToleration)
  .register(PLUGIN.NodeAffinity, () => nodeAffinity)
  .register(PLUGIN.NodeResourcesFit, () => nodeResourcesFit)
  .register(PLUGIN.InterPodAffinity, () => interPodAffinity)
  .register(PLUGIN.PodTopologySpread, () => podTopologySpread)
  .register(VOLUME_BINDING, (_args, handle) => volumeBinding(handle));
// The default profile, in the order the filters run (cheap, unresolvable checks first).
const plugins = registry.build(
  [
    PLUGIN.NodeName,
    PLUGIN.NodeUnschedulable,
    PLUGIN.TaintToleration,
    PLUGIN.NodeAffinity,
    PLUGIN.NodeResourcesFit,
    PLUGIN.InterPodAffinity,
    PLUGIN.PodTopologySpread,
    VOLUME_BINDING,
  ].map((name) => ({ name })),
  { clients, claims, volumes, classes, capacities },
);
const scheduler = new Scheduler({
  clients,
  cache: new SchedulerCache(nodes, pods),
  queue,
  framework: new Framework(plugins, { [PLUGIN.NodeResourcesFit]: 1, [PLUGIN.NodeAffinity]: 2, [PLUGIN.InterPodAffinity]: 2, [PLUGIN.PodTopologySpread]: 2 }),
  preBind: plugins.filter(implementsPreBind),
  events: new EventRecorder(clients, values.name, log),
  name: values.name,
  log,
});

// Intake: pending pods that name this scheduler. Any change that can free room or satisfy a
// constraint (a node, a pod leaving, a claim bound, capacity published) retries the parked ones.
const ours = (p: V1Pod) => p.spec?.schedulerName === values.name && !p.spec.nodeName && !p.metadata?.deletionTimestamp;
pods.on("add", (p) => (ours(p) ? queue.add(p) : queue.moveAllToActive()));
pods.on("update", (p) => {
  if (ours(p)) return queue.add(p);
  queue.remove(p);
  queue.moveAllToActive();
});
pods.on("delete", (p) => (queue.remove(p), queue.moveAllToActive()));
const retryParked = () => queue.moveAllToActive();
for (const inf of [nodes, claims, volumes, capacities] as Informer<KubernetesObject>[]) {
  inf.on("add", retryParked);
  inf.on("update", retryParked);
}
manager.addRunnable((signal) => scheduler.run(signal));

log.info({ schedulerName: values.name }, "starting");
await manager.run();
