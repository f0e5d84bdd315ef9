import fs from "node:fs/promises";
import type { V1CSIStorageCapacity, V1StorageClass } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Gauge } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import { isConflict, isNotFound } from "../../k8s/errors";
import { microTime } from "../../k8s/time";
import type { Informer } from "../../k8s/informer";
import { Waker } from "../../k8s/sleep";
import { registry } from "../../metrics";
import { createPool, patchPoolStatus } from "../api/client";
import { agentLeaseName, PROVISIONER, SYSTEM_NAMESPACE, type XlssStoragePool, type XlssStoragePoolStatus, type XlssVolume } from "../api/types";
import { allocatedBytes, poolCapacityBytes } from "../capacity";

export interface FilesystemStats {
  totalBytes: number;
  freeBytes: number;
}

/** statfs of the filesystem holding `root`: its size and the space unprivileged writers may use. */
export async function filesystemStats(root: string): Promise<FilesystemStats> {
  const st = await fs.statfs(root);
  return { totalBytes: st.blocks * st.bsize, freeBytes: st.bavail * st.bsize };
}

const poolGauge = (name: string, help: string) =>
  new Gauge({ name: `xlss_pool_${name}`, help, labelNames: ["node"] as const, registers: [registry] });
const gauges = {
  capacity: poolGauge("capacity_bytes", "Bytes volumes may reserve in the node's pool."),
  allocated: poolGauge("allocated_bytes", "Bytes reserved by the node's volumes."),
  used: poolGauge("used_bytes", "Bytes the node's volumes use."),
  free: poolGauge("filesystem_free_bytes", "Free bytes on the filesystem holding the pool."),
  volumes: poolGauge("volumes", "Volumes on the node."),
};

export interface PoolReporterDeps {
  clients: KubeClients;
  node: string;
  root: string;
  volumes: Informer<XlssVolume>;
  pools: Informer<XlssStoragePool>;
  storageClasses: Informer<V1StorageClass>;
  /** Heartbeat period; the agent's Lease lasts four periods. */
  intervalMs: number;
  log: Logger;
}

/**
 * The agent's periodic duties (topolvm's capacity exporter): renew the node's heartbeat Lease,
 * report the pool's status, and publish one CSIStorageCapacity per xlss StorageClass so that the
 * schedulers only pick nodes whose pool has room. `poke()` runs a round at once, e.g. after a
 * volume changed, so capacity is never stale for long.
 */
export class PoolReporter {
  private readonly waker = new Waker();

  constructor(private readonly deps: PoolReporterDeps) {}

  poke(): void {
    this.waker.wake();
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.round();
      } catch (err) {
        this.deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, "pool report failed");
      }
      await this.waker.sleep(this.deps.intervalMs, signal);
    }
  }

  private async round(): Promise<void> {
    const { clients, node } = this.deps;
    await this.renewLease();
    let pool = this.deps.pools.get(node);
    if (!pool) {
      try {
        pool = await createPool(clients, { apiVersion: "storage.xlss.io/v1alpha1", kind: "XlssStoragePool", metadata: { name: node }, spec: {} });
      } catch (err) {
        if (!isConflict(err)) throw err;
        return; // Created meanwhile; the informer brings it for the next round.
      }
    }
    const fsStats = await filesystemStats(this.deps.root);
    const volumes = this.deps.volumes.list().filter((v) => v.spec.nodeName === node);
    const capacity = poolCapacityBytes(pool.spec, fsStats.totalBytes);
    const allocated = allocatedBytes(volumes);
    const status: XlssStoragePoolStatus = {
      rootPath: this.deps.root,
      filesystemBytes: fsStats.totalBytes,
      filesystemFreeBytes: fsStats.freeBytes,
      capacityBytes: capacity,
      allocatedBytes: allocated,
      usedBytes: volumes.reduce((s, v) => s + (v.status?.usedBytes ?? 0), 0),
      volumes: volumes.length,
      lastUpdate: new Date().toISOString(),
    };
    gauges.capacity.set({ node }, capacity);
    gauges.allocated.set({ node }, allocated);
    gauges.used.set({ node }, status.usedBytes ?? 0);
    gauges.free.set({ node }, fsStats.freeBytes);
    gauges.volumes.set({ node }, volumes.length);
    await patchPoolStatus(clients, node, status);
    // Free space for new volumes is bounded by what the pool allows and by what the disk still has.
    const available = Math.max(0, Math.min(capacity - allocated, fsStats.freeBytes));
    const classes = this.deps.storageClasses.list().filter((c) => c.provisioner === PROVISIONER);
    await Promise.all(classes.map((c) => this.publishCapacity(c.metadata?.name ?? "", available)));
  }

  private async renewLease(): Promise<void> {
    const { clients, node } = this.deps;
    const name = agentLeaseName(node);
    const now = microTime();
    const spec = { holderIdentity: node, leaseDurationSeconds: Math.ceil((this.deps.intervalMs * 4) / 1000), renewTime: now };
    try {
      const lease = await clients.coordination.readNamespacedLease({ name, namespace: SYSTEM_NAMESPACE });
      lease.spec = { ...lease.spec, ...spec };
      await clients.coordination.replaceNamespacedLease({ name, namespace: SYSTEM_NAMESPACE, body: lease });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await clients.coordination.createNamespacedLease({
        namespace: SYSTEM_NAMESPACE,
        body: { metadata: { name, namespace: SYSTEM_NAMESPACE, labels: { "storage.xlss.io/node": node } }, spec: { ...spec, acquireTime: now } },
      });
    }
  }

  private async publishCapacity(storageClass: string, bytes: number): Promise<void> {
    const { clients, node } = this.deps;
    const name = `xlss-${node}-${storageClass}`.slice(0, 253);
    const body: V1CSIStorageCapacity = {
      metadata: { name, namespace: SYSTEM_NAMESPACE, labels: { "storage.xlss.io/node": node } },
      storageClassName: storageClass,
      nodeTopology: { matchLabels: { "kubernetes.io/hostname": node } },
      capacity: String(bytes),
      maximumVolumeSize: String(bytes),
    };
    try {
      const current = await clients.storage.readNamespacedCSIStorageCapacity({ name, namespace: SYSTEM_NAMESPACE });
      if (current.capacity === body.capacity) return;
      await clients.storage.replaceNamespacedCSIStorageCapacity({
        name,
        namespace: SYSTEM_NAMESPACE,
        body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await clients.storage.createNamespacedCSIStorageCapacity({ namespace: SYSTEM_NAMESPACE, body });
    }
  }
}
