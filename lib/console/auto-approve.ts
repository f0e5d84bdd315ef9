import { z } from "zod";
import type { RequestAction } from "@/db/schema";

/**
 * The optional auto-approve policy, from CONSOLE_AUTO_APPROVE (JSON): requests it matches are
 * approved by the console itself ("auto-approve policy") and applied at once. Example — small
 * clusters in dev namespaces: `{"namespaces":["*-dev"],"actions":["create","change"],"maxReplicas":3}`.
 * A namespace pattern is a name, or a `*` prefix/suffix wildcard.
 */
export const autoApprovePolicy = z.object({
  namespaces: z.array(z.string().min(1)).min(1),
  actions: z.array(z.enum(["create", "change", "delete"])).default(["create", "change"]),
  /** Largest `spec.replicas` approved automatically. */
  maxReplicas: z.number().int().positive().optional(),
});
export type AutoApprovePolicy = z.infer<typeof autoApprovePolicy>;

export function autoApprovePolicyFromEnv(env: Record<string, string | undefined> = process.env): AutoApprovePolicy | undefined {
  const text = env.CONSOLE_AUTO_APPROVE;
  if (!text) return undefined;
  return autoApprovePolicy.parse(JSON.parse(text));
}

function matches(pattern: string, namespace: string): boolean {
  if (pattern.startsWith("*")) return namespace.endsWith(pattern.slice(1));
  if (pattern.endsWith("*")) return namespace.startsWith(pattern.slice(0, -1));
  return pattern === namespace;
}

/** Whether the policy approves this request without a person. */
export function autoApproves(policy: AutoApprovePolicy | undefined, request: { action: RequestAction; namespace: string; manifest: Record<string, unknown> }): boolean {
  if (!policy) return false;
  if (!policy.actions.includes(request.action)) return false;
  if (!policy.namespaces.some((p) => matches(p, request.namespace))) return false;
  if (policy.maxReplicas !== undefined && request.action !== "delete") {
    const replicas = (request.manifest.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== "number" || replicas > policy.maxReplicas) return false;
  }
  return true;
}
