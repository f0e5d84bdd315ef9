import "server-only";
import { ApiException, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import type { KubeClients } from "@/lib/k8s/client";
import { apiMessage, isNotFound } from "@/lib/k8s/errors";
import { parseJsonOrUndefined } from "@/lib/json";

/** The field manager of everything the console applies: it owns exactly the fields requests set. */
export const CONSOLE_FIELD_MANAGER = "xlss-console";

/** What the API server said about a manifest: its message and, for validation, each field's cause. */
export interface ApiVerdict {
  message: string;
  causes: { field?: string; message: string }[];
}

export function verdictOf(err: unknown): ApiVerdict {
  const causes: ApiVerdict["causes"] = [];
  if (err instanceof ApiException) {
    const body: unknown = typeof err.body === "string" ? parseJsonOrUndefined(err.body) : err.body;
    const details = (body as { details?: { causes?: { field?: string; message?: string }[] } } | undefined)?.details;
    for (const c of details?.causes ?? []) causes.push({ field: c.field, message: c.message ?? "" });
  }
  return { message: apiMessage(err), causes };
}

/**
 * Server-side apply of one manifest as the console (taking over fields another manager set, as a
 * person's decision should). `dryRun` asks the API server to validate and default it — schema, CEL
 * rules, admission — without storing anything, and returns the object as it would be stored.
 */
export async function serverSideApply<T extends KubernetesObject>(clients: KubeClients, manifest: T, opts: { dryRun?: boolean } = {}): Promise<T> {
  return clients.objects.patch(manifest, undefined, opts.dryRun ? "All" : undefined, CONSOLE_FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
}

/** The live object, or undefined. */
export async function readObject(clients: KubeClients, ref: { apiVersion: string; kind: string; name: string; namespace: string }): Promise<KubernetesObject | undefined> {
  try {
    return await clients.objects.read({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Deletes the object; already gone counts as done. */
export async function deleteObject(clients: KubeClients, ref: { apiVersion: string; kind: string; name: string; namespace: string }): Promise<void> {
  try {
    await clients.objects.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Creates the namespace a team owns when it does not exist yet (the first request in it). */
export async function ensureNamespace(clients: KubeClients, namespace: string): Promise<void> {
  await serverSideApply(clients, { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
}
