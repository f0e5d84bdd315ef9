import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { sharedKubeClients } from "@/lib/k8s/client";
import { Informer } from "@/lib/k8s/informer";
import { log } from "@/lib/log";
import { CATALOG } from "./catalog";

/** Every middleware resource of one kind, as the watch cache holds it. */
export type MiddlewareObject = KubernetesObject & {
  metadata: { name: string; namespace: string; creationTimestamp?: Date | string; generation?: number };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
};

const globalForCache = globalThis as unknown as { xlssClusterCache?: Map<string, Promise<Informer<MiddlewareObject>>> };

/**
 * The console's watch cache of one catalog kind across all namespaces: listed once, then kept
 * current by a watch (lib/k8s/informer.ts), so cluster lists are served from memory rather than
 * by a list call per page view. Started on first use; a failed start is retried on the next use.
 */
export function clusterInformer(kind: string): Promise<Informer<MiddlewareObject>> {
  const form = CATALOG.find((f) => f.kind === kind);
  if (!form) throw new Error(`${kind} is not in the catalog`);
  globalForCache.xlssClusterCache ??= new Map();
  const cache = globalForCache.xlssClusterCache;
  let started = cache.get(kind);
  if (!started) {
    const clients = sharedKubeClients();
    const [group, version] = form.apiVersion.split("/") as [string, string];
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
