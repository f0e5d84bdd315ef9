import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { sharedKubeClients } from "@/lib/k8s/client";
import { isNotFound } from "@/lib/k8s/errors";
import { Informer } from "@/lib/k8s/informer";
import { log } from "@/lib/log";
import { CATALOG } from "./catalog";

/** Every middleware resource of one kind, as the watch cache holds it. */
export type MiddlewareObject = KubernetesObject & {
  metadata: { name: string; namespace: string; creationTimestamp?: Date | string; generation?: number };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

const globalForCache = globalThis as unknown as {
  xlssClusterCache?: Map<string, Promise<Informer<MiddlewareObject>>>;
  /** Kinds whose CRD the API server did not serve, with when that was seen. */
  xlssMissingKinds?: Map<string, number>;
};

/** A kind found not installed is looked for again after this long. */
const MISSING_RECHECK_MS = 60_000;

/**
 * The console's watch cache of one catalog kind across all namespaces: listed once, then kept
 * current by a watch (lib/k8s/informer.ts), so cluster lists are served from memory rather than
 * by a list call per page view. Started on first use; a failed start is retried on the next use.
 * Resolves to undefined when the kind's CRD is not installed in this cluster (checked again after a
 * minute), so one missing kind never holds up the others.
 */
export async function clusterInformer(kind: string): Promise<Informer<MiddlewareObject> | undefined> {
  const form = CATALOG.find((f) => f.kind === kind);
  if (!form) throw new Error(`${kind} is not in the catalog`);
  globalForCache.xlssClusterCache ??= new Map();
  globalForCache.xlssMissingKinds ??= new Map();
  const cache = globalForCache.xlssClusterCache;
  const missing = globalForCache.xlssMissingKinds;
  const clients = sharedKubeClients();
  const [group, version] = form.apiVersion.split("/") as [string, string];
  let started = cache.get(kind);
  if (!started) {
    const seenMissing = missing.get(kind);
    if (seenMissing !== undefined && Date.now() - seenMissing < MISSING_RECHECK_MS) return undefined;
    try {
      await clients.custom.listClusterCustomObject({ group, version, plural: form.plural, limit: 1 });
      missing.delete(kind);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      missing.set(kind, Date.now());
      return undefined;
    }
  }
  started = cache.get(kind);
  if (!started) {
    const informer = new Informer<MiddlewareObject>(
      clients.kc,
      {
        path: `/apis/${group}/${version}/${form.plural}`,
        list: async (s) => (await clients.custom.listClusterCustomObject({ group, version, plural: form.plural, ...s })) as { items: MiddlewareObject[] },
      },
      log.child({ component: "console-cache", kind }),
    );
    started = informer.start(30_000).then(() => informer);
    started.catch(() => {
      informer.stop();
      cache.delete(kind);
    });
    cache.set(kind, started);
  }
  return started;
}
