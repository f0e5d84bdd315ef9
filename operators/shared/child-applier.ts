import type { KubernetesObject } from "@kubernetes/client-node";
import { Counter } from "prom-client";
import { applyObjects } from "../../lib/k8s/apply";
import type { KubeClients } from "../../lib/k8s/client";
import { registry } from "../../lib/metrics";
import { hashOf } from "./hash";
import { ANNOTATIONS, OPERATORS } from "./labels";

const applies = new Counter({
  name: "xlss_operator_applies_total",
  help: "Owned objects the operators applied (sent) or found unchanged (skipped), by kind.",
  labelNames: ["kind", "result"] as const,
  registers: [registry],
});

/**
 * Server-side applies the objects a resource owns (field manager xlss-operators), skipping those
 * already as desired: each applied object carries the hash of what was applied, and the object's
 * generation (or, for kinds without one, resourceVersion) right after the apply is remembered. An
 * object is sent again when the desired hash differs, when it is not in the cache, or when it
 * changed since (someone edited it: the edit is reverted). Nothing remembered needs to survive a
 * restart: a fresh process applies everything once.
 */
export class ChildApplier {
  private readonly afterApply = new Map<string, string>();

  constructor(private readonly clients: KubeClients) {}

  /** Applies `desired` unless `cached` (the informer's copy) already is it; returns whether it was sent. */
  async apply<T extends KubernetesObject>(desired: T, cached: T | undefined): Promise<boolean> {
    const hash = hashOf(desired);
    const kind = desired.kind ?? "";
    const uid = cached?.metadata?.uid;
    if (
      cached &&
      uid &&
      cached.metadata?.annotations?.[ANNOTATIONS.appliedHash] === hash &&
      this.afterApply.get(uid) === marker(cached)
    ) {
      applies.inc({ kind, result: "skipped" });
      return false;
    }
    const body = {
      ...desired,
      metadata: { ...desired.metadata, annotations: { ...desired.metadata?.annotations, [ANNOTATIONS.appliedHash]: hash } },
    };
    const [stored] = await applyObjects(this.clients, [body], OPERATORS);
    if (stored?.metadata?.uid) this.afterApply.set(stored.metadata.uid, marker(stored));
    applies.inc({ kind, result: "applied" });
    return true;
  }

  /** Forgets a deleted object (wired to the informers' delete events). */
  forget(obj: KubernetesObject): void {
    if (obj.metadata?.uid) this.afterApply.delete(obj.metadata.uid);
  }
}

// Status updates of a StatefulSet or PodDisruptionBudget move its resourceVersion, not its
// generation; ConfigMaps and Services have no generation, and nothing but edits moves theirs.
const marker = (obj: KubernetesObject): string => String(obj.metadata?.generation ?? `rv:${obj.metadata?.resourceVersion}`);
