// xlss-rescuer: the node agent, one per node (a DaemonSet in production, one process per simulated
// node in the local cluster). This entry point only reads configuration and wires the parts.
//
//   --node NAME            node this agent serves [$NODE_NAME]
//   --root DIR             pool root on the node's fast disk [$XLSS_ROOT, /var/lib/xlss]
//   --metrics-port N       serve /metrics and /healthz [$METRICS_PORT, 9810; 0 disables]
//   --metrics-host ADDR    [127.0.0.1]
//   --heartbeat-ms N       lease renewal and pool report period [5000]
//   --usage-interval-ms N  how often each volume's usage is measured [30000]
//   --backup-concurrency N backups run at once on this node [2]
//   --restore-ttl-ms N     how long finished restores stay as history [86400000 (a day)]
//   --check-interval-ms N  how often repositories are verified (`restic check`) [86400000]
//   --check-subset N       percent of the data read by each check [5]
//   --quarantine-ttl-ms N  keep the old copy of a volume moved away while this node was gone at
//                          least this long [604800000 (a week)]; directories under <root>/volumes
//                          that no volume names are set aside as long before they are removed
//   --stray-sweep-ms N     how often to look for such directories [3600000 (an hour)]
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { V1PersistentVolume, V1Pod, V1StorageClass } from "@kubernetes/client-node";
import { kubeClients } from "../../k8s/client";
import { Controller } from "../../k8s/controller";
import { EventRecorder } from "../../k8s/events";
import { Manager } from "../../k8s/manager";
import { log as rootLog } from "../../log";
import { listBackups, listPools, listRestores, listVolumes } from "../api/client";
import { clusterPath, PLURALS, type XlssBackup, type XlssRestore, type XlssStoragePool, type XlssVolume } from "../api/types";
import { BackupRunner } from "../backup/backup-runner";
import { BackupRepositories } from "../backup/repository";
import { runRepositoryChecks } from "../backup/repository-checker";
import { restoreReconciler } from "../backup/restore-controller";
import { filesystemStats, PoolReporter } from "./pool-reporter";
import { runStraySweeps } from "./stray-dirs";
import { volumeReconciler } from "./volume-controller";

const { values } = parseArgs({
  options: {
    node: { type: "string", default: process.env.NODE_NAME },
    root: { type: "string", default: process.env.XLSS_ROOT ?? "/var/lib/xlss" },
    "metrics-port": { type: "string", default: process.env.METRICS_PORT ?? "9810" },
    "metrics-host": { type: "string", default: "127.0.0.1" },
    "heartbeat-ms": { type: "string", default: "5000" },
    "usage-interval-ms": { type: "string", default: "30000" },
    "backup-concurrency": { type: "string", default: "2" },
    "restore-ttl-ms": { type: "string", default: "86400000" },
    "check-interval-ms": { type: "string", default: "86400000" },
    "check-subset": { type: "string", default: "5" },
    "quarantine-ttl-ms": { type: "string", default: "604800000" },
    "stray-sweep-ms": { type: "string", default: "3600000" },
  },
});

const node = values.node;
if (!node) throw new Error("the node name is required: --node or $NODE_NAME (from the downward API)");
const root = path.resolve(values.root);
fs.mkdirSync(root, { recursive: true, mode: 0o700 });
const log = rootLog.child({ component: "xlss-rescuer", node });
const clients = kubeClients();
const manager = new Manager({
  clients,
  log,
  metrics: Number(values["metrics-port"]) > 0 ? { port: Number(values["metrics-port"]), host: values["metrics-host"] } : undefined,
});

// Only this node's objects are listed and watched (server-side field selectors), and every
// reconcile checks the node again.
const volumes = manager.watch<XlssVolume>({
  path: clusterPath(PLURALS.volume),
  list: (s) => listVolumes(clients, s),
  fieldSelector: `spec.nodeName=${node}`,
});
const pools = manager.watch<XlssStoragePool>({
  path: clusterPath(PLURALS.pool),
  list: (s) => listPools(clients, s),
  fieldSelector: `metadata.name=${node}`,
});
const persistentVolumes = manager.watch<V1PersistentVolume>({
  path: "/api/v1/persistentvolumes",
  list: () => clients.core.listPersistentVolume(),
});
const storageClasses = manager.watch<V1StorageClass>({
  path: "/apis/storage.k8s.io/v1/storageclasses",
  list: () => clients.storage.listStorageClass(),
});

const pods = manager.watch<V1Pod>({
  path: "/api/v1/pods",
  list: (s) => clients.core.listPodForAllNamespaces(s),
  fieldSelector: `spec.nodeName=${node}`,
});
const backups = manager.watch<XlssBackup>({ path: clusterPath(PLURALS.backup), list: (s) => listBackups(clients, s) });
const restores = manager.watch<XlssRestore>({ path: clusterPath(PLURALS.restore), list: (s) => listRestores(clients, s) });

const events = new EventRecorder(clients, "xlss-rescuer", log);
const reporter = new PoolReporter({ clients, node, root, volumes, pools, storageClasses, intervalMs: Number(values["heartbeat-ms"]), log });
const controller = new Controller({
  name: "xlss-volume-node",
  concurrency: 4,
  log,
  reconcile: volumeReconciler({
    clients,
    node,
    root,
    volumes,
    pools,
    persistentVolumes,
    filesystem: () => filesystemStats(root),
    events,
    usageIntervalMs: Number(values["usage-interval-ms"]),
    quarantineTtlMs: Number(values["quarantine-ttl-ms"]),
    log,
  }),
}).for(volumes);
// A PV that went away may unblock the deletion of the volume it pointed at.
controller.watches(persistentVolumes, (pv) => {
  const name = pv.metadata?.name ?? "";
  return volumes.get(name) ? [{ name }] : [];
});
const repos = new BackupRepositories(clients, path.join(root, ".xlss-agent"), node);
const backupRunner = new BackupRunner({
  clients,
  node,
  root,
  pods,
  volumes,
  backups,
  repos,
  events,
  concurrency: Number(values["backup-concurrency"]),
  log,
});
const restoreController = new Controller({
  name: "xlss-restore",
  concurrency: 2,
  log,
  reconcile: restoreReconciler({ clients, node, root, restores, volumes, pods, repos, events, ttlMs: Number(values["restore-ttl-ms"]), log }),
}).for(restores);
for (const verb of ["add", "update", "delete"] as const) {
  volumes.on(verb, () => (reporter.poke(), backupRunner.poke()));
  pods.on(verb, () => backupRunner.poke());
  backups.on(verb, () => backupRunner.poke());
}
manager.addController(controller);
manager.addController(restoreController);
manager.addRunnable((signal) => reporter.run(signal));
manager.addRunnable((signal) => backupRunner.run(signal));
manager.addRunnable((signal) =>
  runRepositoryChecks(
    { node, volumes, repos, intervalMs: Number(values["check-interval-ms"]), subsetPercent: Number(values["check-subset"]), log },
    signal,
  ),
);
manager.addRunnable((signal) =>
  runStraySweeps({ clients, node, root, volumes, events, ttlMs: Number(values["quarantine-ttl-ms"]), log }, Number(values["stray-sweep-ms"]), signal),
);

log.info({ root }, "starting");
await manager.run();
