// xlss-provisioner: dynamic local volumes for claims of StorageClasses whose provisioner is
// local.xlss.io, and the guardian, which force-deletes XLSS pods from nodes that are really gone and
// keeps the record of each recovery (XlssFailover) until the moved pod is Ready.
// Leader-elected: run two replicas for availability, one works at a time.
//
//   --metrics-port N     serve /metrics and /healthz [$METRICS_PORT, 9811; 0 disables]
//   --metrics-host ADDR  [127.0.0.1]
//   --concurrency N      claims provisioned at once [8]
//   --guardian-window-ms N  a node NotReady this long, with its agent's heartbeat expired, is gone [60000]
//   --guardian-dry-run      only report what the guardian would force-delete
import { parseArgs } from "node:util";
import type { V1Node, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from "@kubernetes/client-node";
import { kubeClients } from "../../k8s/client";
import { Controller } from "../../k8s/controller";
import { EventRecorder } from "../../k8s/events";
import { Manager } from "../../k8s/manager";
import { Gauge } from "prom-client";
import { log as rootLog } from "../../log";
import { registry } from "../../metrics";
import { listFailovers, listPools, listVolumes } from "../api/client";
import { clusterPath, LABELS, PLURALS, SYSTEM_NAMESPACE, type XlssFailover, type XlssStoragePool, type XlssVolume } from "../api/types";
import { registerFleetMetrics } from "../fleet-metrics";
import { failoverReconciler } from "../guardian/failover-controller";
import { guardianReconciler } from "../guardian/node-controller";
import { claimReconciler } from "./claim-controller";
import { volumeNameFor } from "./claim-checks";
import { releaseReconciler } from "./release-controller";
import { claimsWaitingOn, resizeReconciler } from "./resize-controller";

const { values } = parseArgs({
  options: {
    "metrics-port": { type: "string", default: process.env.METRICS_PORT ?? "9811" },
    "metrics-host": { type: "string", default: "127.0.0.1" },
    concurrency: { type: "string", default: "8" },
    "guardian-window-ms": { type: "string", default: "60000" },
    "guardian-dry-run": { type: "boolean", default: false },
  },
});

const log = rootLog.child({ component: "xlss-provisioner" });
const clients = kubeClients();
const manager = new Manager({
  clients,
  log,
  leaderElection: { namespace: SYSTEM_NAMESPACE, name: "xlss-provisioner" },
  metrics: Number(values["metrics-port"]) > 0 ? { port: Number(values["metrics-port"]), host: values["metrics-host"] } : undefined,
});

const claims = manager.watch<V1PersistentVolumeClaim>({
  path: "/api/v1/persistentvolumeclaims",
  list: () => clients.core.listPersistentVolumeClaimForAllNamespaces(),
});
const classes = manager.watch<V1StorageClass>({
  path: "/apis/storage.k8s.io/v1/storageclasses",
  list: () => clients.storage.listStorageClass(),
});
const volumes = manager.watch<XlssVolume>({ path: clusterPath(PLURALS.volume), list: (s) => listVolumes(clients, s) });
const persistentVolumes = manager.watch<V1PersistentVolume>({
  path: "/api/v1/persistentvolumes",
  list: () => clients.core.listPersistentVolume(),
});

const nodes = manager.watch<V1Node>({ path: "/api/v1/nodes", list: () => clients.core.listNode() });
const failovers = manager.watch<XlssFailover>({ path: clusterPath(PLURALS.failover), list: (s) => listFailovers(clients, s) });

const events = new EventRecorder(clients, "xlss-provisioner", log);
// Counted from the cache when scraped, so the figure is always the cluster's, not this replica's history.
new Gauge({
  name: "xlss_volumes",
  help: "XlssVolumes in the cluster by phase.",
  labelNames: ["phase"] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const v of volumes.list()) this.inc({ phase: v.metadata.deletionTimestamp ? "Deleting" : (v.status?.phase ?? "Pending") });
  },
});
const claimOfVolume = (v: XlssVolume) => [{ namespace: v.spec.claimRef.namespace, name: v.spec.claimRef.name }];
manager.addController(
  new Controller({
    name: "xlss-provisioner-claims",
    concurrency: Number(values.concurrency),
    log,
    reconcile: claimReconciler({ clients, claims, classes, volumes, persistentVolumes, events, log }),
  })
    .for(claims)
    .watches(volumes, claimOfVolume)
    .watches(persistentVolumes, (pv) => {
      const ns = pv.metadata?.labels?.[LABELS.claimNamespace];
      const name = pv.metadata?.labels?.[LABELS.claimName];
      return ns && name ? [{ namespace: ns, name }] : [];
    }),
);
// Volume expansion: a claim grows when its node's pool has room; a change of the pool (spec or
// status) or of any volume on the node may make room for a claim that is waiting.
const pools = manager.watch<XlssStoragePool>({ path: clusterPath(PLURALS.pool), list: (s) => listPools(clients, s) });
manager.addController(
  new Controller({
    name: "xlss-provisioner-resize",
    concurrency: 2,
    log,
    reconcile: resizeReconciler({ clients, claims, classes, volumes, persistentVolumes, events, log }),
  })
    .for(claims)
    .watches(volumes, (v) => [...claimOfVolume(v), ...claimsWaitingOn(claims, volumes, v.spec.nodeName)])
    .watches(pools, (p) => claimsWaitingOn(claims, volumes, p.metadata.name)),
);
manager.addController(
  new Controller({ name: "xlss-provisioner-release", concurrency: 4, log, reconcile: releaseReconciler({ clients, claims, volumes, persistentVolumes, failovers, nodes }) })
    .for(persistentVolumes)
    .for(volumes)
    .watches(claims, (pvc) => [{ name: volumeNameFor(pvc) }])
    .watches(failovers, (f) =>
      volumes
        .list()
        .filter((v) => v.spec.movedTo?.failover === `${f.metadata.namespace}/${f.metadata.name}`)
        .map((v) => ({ name: v.metadata.name })),
    )
    .watches(nodes, (n) =>
      volumes
        .list()
        .filter((v) => v.spec.nodeName === n.metadata?.name)
        .map((v) => ({ name: v.metadata.name })),
    ),
);

const pods = manager.watch<V1Pod>({ path: "/api/v1/pods", list: (s) => clients.core.listPodForAllNamespaces(s) });
// Cluster-wide gauges for the chart's alert rules (volume sizes, open failovers, agents, backup age).
registerFleetMetrics({ manager, clients, log, volumes, failovers, pods, claims, classes, nodes });
manager.addController(
  new Controller({
    name: "xlss-guardian",
    concurrency: 2,
    log,
    reconcile: guardianReconciler({
      clients,
      nodes,
      pods,
      volumes,
      events: new EventRecorder(clients, "xlss-guardian", log),
      policy: { windowMs: Number(values["guardian-window-ms"]) },
      dryRun: values["guardian-dry-run"],
    }),
  }).for(nodes),
);
manager.addController(
  new Controller({
    name: "xlss-failovers",
    concurrency: 2,
    log,
    reconcile: failoverReconciler({ clients, failovers, pods, events: new EventRecorder(clients, "xlss-guardian", log) }),
  })
    .for(failovers)
    .watches(pods, (p) =>
      failovers
        .list()
        .filter((f) => f.metadata.namespace === p.metadata?.namespace && f.spec.podName === p.metadata?.name)
        .map((f) => ({ namespace: f.metadata.namespace, name: f.metadata.name })),
    ),
);

log.info("starting");
await manager.run();
