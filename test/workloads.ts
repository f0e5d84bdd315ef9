import type { CoreV1Event, V1PersistentVolume, V1Pod, V1StatefulSet } from "@kubernetes/client-node";
import type { KubeClients } from "../lib/k8s/client";
import { isNotFound } from "../lib/k8s/errors";
import { waitFor } from "../lib/k8s/wait";
import { pinnedTo } from "../lib/xlss/rescuer/volume-controller";

/** A StatefulSet of `replicas` with one volume claim template `data` of `size` on `storageClass`. */
export function statefulSetWithStorage(opts: {
  name: string;
  replicas: number;
  storageClass?: string;
  size?: string;
  schedulerName?: string;
}): V1StatefulSet {
  const labels = { app: opts.name };
  return {
    metadata: { name: opts.name },
    spec: {
      serviceName: opts.name,
      replicas: opts.replicas,
      podManagementPolicy: "Parallel",
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          schedulerName: opts.schedulerName,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: "app", image: "registry.local/app:1", volumeMounts: [{ name: "data", mountPath: "/data" }] }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: opts.storageClass ?? "xlss-local",
            resources: { requests: { storage: opts.size ?? "1Gi" } },
          },
        },
      ],
    },
  };
}

export const isRunning = (p: V1Pod) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp;

/** Waits until `count` pods with `selector` run, and returns them sorted by name. */
export async function waitForRunningPods(kube: KubeClients, namespace: string, selector: string, count: number, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const pods = (await kube.core.listNamespacedPod({ namespace, labelSelector: selector })).items.filter(isRunning);
      return pods.length === count ? pods.sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? "")) : undefined;
    },
    { what: `${count} running pods (${selector}) in ${namespace}`, timeoutMs },
  );
}

/** Resolves once `read` answers 404. */
export async function waitGone(read: () => Promise<unknown>, what: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      try {
        await read();
        return false;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    },
    { what: `${what} gone`, timeoutMs },
  );
}

/** Waits until claim `namespace/claim` is Bound and returns its PersistentVolume. */
export async function boundVolume(kube: KubeClients, namespace: string, claim: string): Promise<V1PersistentVolume> {
  return waitFor(
    async () => {
      const pvc = await kube.core.readNamespacedPersistentVolumeClaim({ name: claim, namespace });
      if (pvc.status?.phase !== "Bound" || !pvc.spec?.volumeName) return undefined;
      return kube.core.readPersistentVolume({ name: pvc.spec.volumeName });
    },
    { what: `claim ${namespace}/${claim} Bound` },
  );
}

/** A one-pod StatefulSet with a 1Gi (or `size`) xlss-local claim `data-<name>-0`, its pod pinned to `node`; returns the bound PV. */
export async function statefulSetOn(kube: KubeClients, namespace: string, name: string, node: string, size?: string): Promise<V1PersistentVolume> {
  const sts = statefulSetWithStorage({ name, replicas: 1, size });
  sts.spec!.template.spec!.nodeSelector = { "kubernetes.io/hostname": node };
  await kube.apps.createNamespacedStatefulSet({ namespace, body: sts });
  await waitForRunningPods(kube, namespace, `app=${name}`, 1, 120_000);
  const pv = await boundVolume(kube, namespace, `data-${name}-0`);
  if (pinnedTo(pv) !== node) throw new Error(`volume ${pv.metadata?.name} is on ${pinnedTo(pv)}, not ${node}`);
  return pv;
}

/** The Events about object `name` in `namespace`, optionally of one reason. */
export async function eventsAbout(kube: KubeClients, namespace: string, name: string, reason?: string): Promise<CoreV1Event[]> {
  const fieldSelector = `involvedObject.name=${name}${reason ? `,reason=${reason}` : ""}`;
  return (await kube.core.listNamespacedEvent({ namespace, fieldSelector })).items;
}

/**
 * Waits for the Events about `name` of `reason` to exist and returns them. Controllers record an
 * Event after the status change a test waits for, so reading them at once would race.
 */
export function eventsOnceRecorded(kube: KubeClients, namespace: string, name: string, reason: string, timeoutMs = 30_000): Promise<CoreV1Event[]> {
  return waitFor(
    async () => {
      const events = await eventsAbout(kube, namespace, name, reason);
      return events.length > 0 ? events : undefined;
    },
    { what: `an Event ${reason} about ${namespace}/${name}`, timeoutMs },
  );
}
