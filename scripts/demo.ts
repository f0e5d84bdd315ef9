// The demo: starts (or reuses) the local cluster "xlss", applies a sample stateful workload, builds
// and starts the console on http://127.0.0.1:3000, and stops everything on Ctrl-C.
//   --keep-cluster   leave the cluster running after Ctrl-C (stop it later: npm run cluster -- down)
//   --port N         console port (default 3000)
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import { clusterDir, readState, startCluster, stopCluster } from "../local-cluster/cluster";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import { isConflict, isNotFound } from "../lib/k8s/errors";
import { waitFor } from "../lib/k8s/wait";

const { values } = parseArgs({
  options: { "keep-cluster": { type: "boolean", default: false }, port: { type: "string", default: "3000" } },
});

if (!(await portIsFree(Number(values.port)))) {
  console.error(`port ${values.port} on 127.0.0.1 is in use; stop what holds it or pass --port N`);
  process.exit(1);
}

const dir = clusterDir("xlss");
const reused = readState(dir);
const cluster = reused ?? (await startCluster({ name: "xlss" }));
console.log(reused ? `reusing the running cluster "xlss"` : `started the local cluster "xlss"`);
const kube = kubeClients(loadKubeConfig(cluster.kubeconfig));
await applySampleWorkload(kube);
void writeSampleData(kube);
await applySampleClusters(kube);

const env = { ...process.env, KUBECONFIG: cluster.kubeconfig, PGLITE_DATA_DIR: path.join(dir, "console-db") };
const next = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
console.log("building the console ...");
if (spawnSync(process.execPath, [next, "build"], { stdio: "inherit", env }).status !== 0) {
  await shutdown(1);
}
const consoleProc = spawn(process.execPath, [next, "start", "--hostname", "127.0.0.1", "--port", values.port], {
  stdio: "inherit",
  env,
});
consoleProc.on("exit", (code) => void shutdown(code ?? 0));

console.log(`
  console:     http://127.0.0.1:${values.port}
  kubectl:     export KUBECONFIG=${cluster.kubeconfig}
  volumes:     kubectl get xsp,xv; kubectl get pvc -n demo
  backups:     kubectl get xlssbackups -n demo   (every 2 minutes; restores: kubectl get xlssrestores -A)
  kafka:       kubectl get kafka -n demo -o wide   (the operator's KafkaCluster; kubectl scale kafka/orders -n demo --replicas=4)
  redis, pg:   kubectl get redis,pg -n demo -o wide   (RedisCluster sessions, PostgresCluster accounts)
  kill a node: npm run cluster -- kill-node xlss-node-2   (revive-node to bring it back)
  recovery:    kubectl get xlssfailovers -n demo -w      (the broker moves with its last backup ~35 s after the kill)
  Ctrl-C stops the console${values["keep-cluster"] ? "" : " and the cluster"}.
`);

for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void shutdown(0));

let stopping: Promise<never> | undefined;
/** Stops the console and (unless --keep-cluster) the cluster once, however many signals arrive. */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    consoleProc?.kill("SIGTERM");
    if (!values["keep-cluster"]) {
      console.log("stopping the local cluster ...");
      await stopCluster(dir);
    }
    process.exit(code);
  })();
  return stopping;
}

/**
 * A three-replica StatefulSet in namespace `demo`, placed by the xlss-scheduler, with one xlss-local
 * volume per pod backed up every 2 minutes, so the console has pods on its nodes and the storage
 * platform has volumes and backups to show.
 */
async function applySampleWorkload(clients: KubeClients): Promise<void> {
  const labels = { app: "sample-broker" };
  const create = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  };
  await create(() => clients.core.createNamespace({ body: { metadata: { name: "demo" } } }));
  await create(() =>
    clients.core.createNamespacedService({
      namespace: "demo",
      body: { metadata: { name: "sample-broker" }, spec: { clusterIP: "None", selector: labels, ports: [{ name: "kafka", port: 9092 }] } },
    }),
  );
  await create(() =>
    clients.apps.createNamespacedStatefulSet({
      namespace: "demo",
      body: {
        metadata: { name: "sample-broker" },
        spec: {
          serviceName: "sample-broker",
          replicas: 3,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { "backup.xlss.io/schedule": "@every 2m", "backup.xlss.io/retention": "last=5" } },
            spec: {
              schedulerName: "xlss-scheduler",
              containers: [
                {
                  name: "broker",
                  image: "apache/kafka:4.1.0",
                  resources: { requests: { cpu: "2", memory: "8Gi" } },
                  volumeMounts: [{ name: "data", mountPath: "/var/lib/kafka" }],
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "20Gi" } } },
            },
          ],
        },
      },
    }),
  );
}

/**
 * One cluster of each kind in namespace `demo` for the operators to run (docs/operators.md): Kafka
 * with 3 dedicated controllers and 3 brokers backed up every 10 minutes, Redis with Sentinel, and
 * PostgreSQL with a primary and two streaming replicas, all on xlss-local volumes.
 */
async function applySampleClusters(clients: KubeClients): Promise<void> {
  const samples = [
    {
      kind: "KafkaCluster",
      plural: "kafkaclusters",
      name: "orders",
      spec: {
        replicas: 3,
        resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "2Gi" } },
        config: { "num.partitions": 6 },
        backup: { schedule: "@every 10m" },
      },
    },
    { kind: "RedisCluster", plural: "redisclusters", name: "sessions", spec: { replicas: 3 } },
    { kind: "PostgresCluster", plural: "postgresclusters", name: "accounts", spec: { replicas: 3, backup: { schedule: "@every 10m" } } },
  ];
  for (const { kind, plural, name, spec } of samples) {
    try {
      await clients.custom.createNamespacedCustomObject({
        group: "paas.xlss.io",
        version: "v1alpha1",
        plural,
        namespace: "demo",
        body: { apiVersion: "paas.xlss.io/v1alpha1", kind, metadata: { name, namespace: "demo" }, spec },
      });
    } catch (err) {
      // A reused cluster started before the kind existed has no CRD for it.
      if (isNotFound(err)) console.log(`this cluster has no ${kind} CRD (started before that operator): npm run cluster -- down, then run the demo again`);
      else if (!isConflict(err)) throw err;
    }
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/**
 * No container runs in the simulated cluster, so the demo plays the brokers: once each claim is
 * bound it writes a small log segment into the volume's directory on its node's disk, which the
 * scheduled backups then snapshot.
 */
async function writeSampleData(clients: KubeClients): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const claim = `data-sample-broker-${i}`;
    const pv = await waitFor(
      async () => {
        const pvc = await clients.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace: "demo" });
        return pvc.spec?.volumeName ? clients.core.readPersistentVolume({ name: pvc.spec.volumeName }) : undefined;
      },
      { what: `${claim} bound`, timeoutMs: 120_000 },
    ).catch(() => undefined);
    const dir = pv?.spec?.local?.path;
    if (!dir) continue;
    fs.mkdirSync(path.join(dir, "orders-0"), { recursive: true });
    fs.writeFileSync(path.join(dir, "orders-0", "00000000000000000000.log"), `sample records of broker ${i}\n`.repeat(1000));
  }
}
