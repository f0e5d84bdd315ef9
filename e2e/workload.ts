import fs from "node:fs";
import path from "node:path";
import type { KubeClients } from "../lib/k8s/client";
import { isConflict } from "../lib/k8s/errors";
import { waitFor } from "../lib/k8s/wait";

/**
 * A tenant's sample workload for the console's tests and screenshots: a StatefulSet `sample-broker`
 * in `namespace` on xlss-local volumes, placed by the xlss-scheduler and backed up every minute.
 * No container runs on the simulated nodes, so once each claim is bound a small log segment is
 * written into its volume's folder, which the backups then snapshot.
 */
export async function applySampleWorkload(clients: KubeClients, namespace: string, replicas = 2): Promise<string[]> {
  const labels = { app: "sample-broker" };
  const ignoreExisting = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  };
  await ignoreExisting(() => clients.core.createNamespace({ body: { metadata: { name: namespace } } }));
  await ignoreExisting(() =>
    clients.apps.createNamespacedStatefulSet({
      namespace,
      body: {
        metadata: { name: "sample-broker" },
        spec: {
          serviceName: "sample-broker",
          replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels, annotations: { "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/retention": "last=10" } },
            spec: {
              schedulerName: "xlss-scheduler",
              containers: [{ name: "broker", image: "apache/kafka:4.1.0", resources: { requests: { cpu: "500m", memory: "1Gi" } }, volumeMounts: [{ name: "data", mountPath: "/var/lib/kafka" }] }],
            },
          },
          volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "5Gi" } } } }],
        },
      },
    }),
  );
  const claims: string[] = [];
  for (let i = 0; i < replicas; i++) {
    const claim = `data-sample-broker-${i}`;
    const dir = await waitFor(
      async () => {
        const pvc = await clients.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace });
        if (!pvc.spec?.volumeName) return undefined;
        return (await clients.core.readPersistentVolume({ name: pvc.spec.volumeName })).spec?.local?.path;
      },
      { what: `${namespace}/${claim} bound`, timeoutMs: 120_000 },
    );
    fs.mkdirSync(path.join(dir, "orders-0"), { recursive: true });
    fs.writeFileSync(path.join(dir, "orders-0", "00000000000000000000.log"), `records of ${namespace} broker ${i}\n`.repeat(2000));
    claims.push(claim);
  }
  return claims;
}
