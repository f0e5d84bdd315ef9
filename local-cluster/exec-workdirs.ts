// kwok-exec-workdirs: a launcher component of the local cluster (never part of the product). KWOK
// runs `kubectl exec` commands on this machine (kwok-exec.ts) in one fixed folder unless a pod has
// an Exec object of its own; this gives every pod with local volumes such an Exec, whose working
// directory for each container is the host folder of the first volume it mounts (the volume's
// directory on the node's disk folder). So a command like `sh -c 'sync; date > marker'` run in a
// pod — a backup hook — works in that pod's data, the nearest thing to a container's filesystem
// that pods without containers have. The Exec is owned by its pod, so it goes with the pod.
//
//   --metrics-port N   serve /metrics and /healthz [0: off]
import { parseArgs } from "node:util";
import type { KubernetesObject, V1PersistentVolume, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { applyObjects } from "../lib/k8s/apply";
import { kubeClients } from "../lib/k8s/client";
import { Controller, type Request } from "../lib/k8s/controller";
import { Informer } from "../lib/k8s/informer";
import { Manager } from "../lib/k8s/manager";
import { log as rootLog } from "../lib/log";

const { values } = parseArgs({ options: { "metrics-port": { type: "string", default: "0" } } });
const log = rootLog.child({ component: "kwok-exec-workdirs" });
const clients = kubeClients();
const port = Number(values["metrics-port"]);
const manager = new Manager({ clients, log, metrics: port > 0 ? { port } : undefined });

const pods = manager.addInformer(new Informer<V1Pod>(clients.kc, { path: "/api/v1/pods", list: () => clients.core.listPodForAllNamespaces() }, log));
const claims = manager.addInformer(
  new Informer<V1PersistentVolumeClaim>(
    clients.kc,
    { path: "/api/v1/persistentvolumeclaims", list: () => clients.core.listPersistentVolumeClaimForAllNamespaces() },
    log,
  ),
);
const volumes = manager.addInformer(
  new Informer<V1PersistentVolume>(clients.kc, { path: "/api/v1/persistentvolumes", list: () => clients.core.listPersistentVolume() }, log),
);

/** KWOK's Exec (kwok.x-k8s.io/v1alpha1), the fields used here. */
interface KwokExec extends KubernetesObject {
  spec: { execs: { containers?: string[]; local: { workDir: string } }[] };
}

/** The host folder behind a pod volume: a bound claim's local or hostPath PV, or a hostPath volume. */
function hostDir(pod: V1Pod, volumeName: string): string | undefined {
  const v = pod.spec?.volumes?.find((x) => x.name === volumeName);
  if (v?.hostPath) return v.hostPath.path;
  const claim = v?.persistentVolumeClaim && claims.get(v.persistentVolumeClaim.claimName, pod.metadata?.namespace);
  const pv = claim && claim.spec?.volumeName ? volumes.get(claim.spec.volumeName) : undefined;
  return pv?.spec?.local?.path ?? pv?.spec?.hostPath?.path;
}

/** Per container, the folder of the first volume it mounts; then a default for the others: the pod's first volume. */
function execTargets(pod: V1Pod): KwokExec["spec"]["execs"] {
  const execs: KwokExec["spec"]["execs"] = [];
  for (const c of pod.spec?.containers ?? []) {
    const dir = (c.volumeMounts ?? []).map((m) => hostDir(pod, m.name)).find(Boolean);
    if (dir) execs.push({ containers: [c.name], local: { workDir: dir } });
  }
  const first = (pod.spec?.volumes ?? []).map((v) => hostDir(pod, v.name)).find(Boolean);
  if (first) execs.push({ local: { workDir: first } });
  return execs;
}

/** What was last applied per pod uid, so that status updates of a pod cost no API call. */
const applied = new Map<string, string>();

async function reconcile(req: Request): Promise<void> {
  const pod = pods.get(req.name, req.namespace);
  const uid = pod?.metadata?.uid;
  if (!pod || !uid || pod.metadata?.deletionTimestamp) {
    // The garbage collector deletes the pod's Exec with it (owner reference).
    for (const key of applied.keys()) if (!pods.list().some((p) => p.metadata?.uid === key)) applied.delete(key);
    return;
  }
  const execs = execTargets(pod);
  if (execs.length === 0) return; // The ClusterExec's folder serves it.
  const wanted = JSON.stringify(execs);
  if (applied.get(uid) === wanted) return;
  const exec: KwokExec = {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "Exec",
    metadata: {
      name: req.name,
      namespace: req.namespace,
      ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: req.name, uid }],
    },
    spec: { execs },
  };
  await applyObjects(clients, [exec], "kwok-exec-workdirs");
  applied.set(uid, wanted);
  log.info({ pod: `${req.namespace}/${req.name}`, workDirs: execs.map((e) => e.local.workDir) }, "exec working directories set");
}

/** Pods of a namespace that use a claim; a claim or volume change may give them a folder. */
const podsUsing = (namespace: string | undefined, claim: string | undefined): Request[] =>
  pods
    .list(namespace)
    .filter((p) => p.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === claim))
    .map((p) => ({ namespace: p.metadata?.namespace, name: p.metadata?.name ?? "" }));

const controller = new Controller({ name: "kwok-exec-workdirs", concurrency: 2, log, reconcile: (req) => reconcile(req) })
  .for(pods)
  .watches(claims, (c) => podsUsing(c.metadata?.namespace, c.metadata?.name))
  .watches(volumes, (v) => podsUsing(v.spec?.claimRef?.namespace, v.spec?.claimRef?.name));
manager.addController(controller);
log.info("starting");
await manager.run();
