import { PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import type { KubeClients } from "./client";

/**
 * Server-side applies each object as `fieldManager`, taking over fields another manager set
 * (`force`), which is what an installer re-run should do. Returns the objects as stored.
 */
export async function applyObjects<T extends KubernetesObject>(
  clients: KubeClients,
  objects: T[],
  fieldManager: string,
): Promise<T[]> {
  const applied: T[] = [];
  for (const obj of objects) {
    applied.push(
      await clients.objects.patch(obj, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply),
    );
  }
  return applied;
}
