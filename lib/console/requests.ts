import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { diffLines } from "diff";
import { stringify } from "yaml";
import { z } from "zod";
import { recordAudit } from "@/db/audit";
import { consoleDatabase } from "@/db/console";
import { addComment, createRequest, decideRequest, getRequest, listComments, listRequests, recordApplyResult } from "@/db/requests";
import { REQUEST_ACTIONS, REQUEST_STATUSES, type ChangeRequest, type RequestStatus } from "@/db/schema";
import { ApiError } from "@/lib/auth/errors";
import { canSeeNamespace, hasRole, type Principal } from "@/lib/auth/principal";
import { sharedKubeClients, type KubeClients } from "@/lib/k8s/client";
import { log } from "@/lib/log";
import { deleteObject, ensureNamespace, readObject, serverSideApply, verdictOf, type ApiVerdict } from "./apply";
import { autoApprovePolicyFromEnv, autoApproves } from "./auto-approve";
import { catalogKind } from "./catalog";
import { DNS_LABEL } from "./form-schema";

// Requests to create, change or delete a middleware resource: checked (tenancy, catalog, the API
// server's own dry-run) before they are stored, decided by an approver (or the auto-approve
// policy) exactly once, then applied by server-side apply. Every step is audited.

const requestLog = log.child({ component: "console-requests" });

export const requestInput = z.object({
  action: z.enum(REQUEST_ACTIONS),
  manifest: z.record(z.string(), z.unknown()),
  comment: z.string().max(2000).optional(),
});
export const decisionInput = z.object({ approve: z.boolean(), comment: z.string().max(2000).optional() });
export const commentInput = z.object({ body: z.string().trim().min(1, "write something").max(2000) });
export const statusFilter = z.array(z.enum(REQUEST_STATUSES)).optional();

interface Target {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/**
 * The manifest reduced to what a request may set — apiVersion, kind, metadata name/namespace/labels/
 * annotations and spec — after checking its kind is in the catalog and its namespace is the
 * principal's. Status, managed fields, uids and resource versions from a pasted YAML are dropped.
 */
export function cleanManifest(principal: Principal, manifest: Record<string, unknown>): { manifest: KubernetesObject & { spec?: unknown }; target: Target } {
  const kind = typeof manifest.kind === "string" ? manifest.kind : "";
  const form = catalogKind(kind);
  if (!form || form.kind !== kind) throw new ApiError("invalid-input", `kind ${JSON.stringify(kind)} is not in the catalog`, [{ path: "kind", message: "not in the catalog" }]);
  if (manifest.apiVersion !== form.apiVersion) throw new ApiError("invalid-input", `apiVersion must be ${form.apiVersion}`, [{ path: "apiVersion", message: `must be ${form.apiVersion}` }]);
  const meta = (manifest.metadata ?? {}) as Record<string, unknown>;
  const name = typeof meta.name === "string" ? meta.name : "";
  const namespace = typeof meta.namespace === "string" ? meta.namespace : "";
  if (!DNS_LABEL.test(name)) throw new ApiError("invalid-input", "metadata.name must be lower-case letters, digits and '-', starting with a letter", [{ path: "metadata.name", message: "invalid name" }]);
  if (!DNS_LABEL.test(namespace)) throw new ApiError("invalid-input", "metadata.namespace is required", [{ path: "metadata.namespace", message: "required" }]);
  if (!canSeeNamespace(principal, namespace)) throw new ApiError("forbidden", `namespace ${namespace} is not one of your team's`);
  const stringMap = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : undefined);
  const clean = {
    apiVersion: form.apiVersion,
    kind: form.kind,
    metadata: { name, namespace, ...(stringMap(meta.labels) ? { labels: stringMap(meta.labels) } : {}), ...(stringMap(meta.annotations) ? { annotations: stringMap(meta.annotations) } : {}) },
    ...(manifest.spec !== undefined ? { spec: manifest.spec } : {}),
  };
  return { manifest: clean, target: { apiVersion: form.apiVersion, kind: form.kind, name, namespace } };
}

export type DryRunResult = { ok: true; object: KubernetesObject } | ({ ok: false } & ApiVerdict);

/** Asks the API server whether it would accept the manifest (schema, CEL rules, admission), storing nothing. */
export async function dryRun(principal: Principal, manifest: Record<string, unknown>, clients: KubeClients = sharedKubeClients()): Promise<DryRunResult> {
  const { manifest: clean } = cleanManifest(principal, manifest);
  try {
    return { ok: true, object: await serverSideApply(clients, clean, { dryRun: true }) };
  } catch (err) {
    return { ok: false, ...verdictOf(err) };
  }
}

export interface RequestView {
  id: number;
  kind: string;
  namespace: string;
  name: string;
  action: ChangeRequest["action"];
  status: RequestStatus;
  requestedBy: string;
  createdAt: string;
  decidedBy?: string;
  decidedAt?: string;
  autoApproved: boolean;
  appliedAt?: string;
  error?: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);
export const requestView = (r: ChangeRequest): RequestView => ({
  id: r.id,
  kind: r.kind,
  namespace: r.namespace,
  name: r.name,
  action: r.action,
  status: r.status,
  requestedBy: r.requestedBy,
  createdAt: r.createdAt.toISOString(),
  decidedBy: r.decidedBy ?? undefined,
  decidedAt: iso(r.decidedAt),
  autoApproved: r.autoApproved,
  appliedAt: iso(r.appliedAt),
  error: r.error ?? undefined,
});

const auditTarget = (r: { kind: string; namespace: string; name: string }) => `${r.kind.toLowerCase()}/${r.namespace}/${r.name}`;

/**
 * Applies an approved request and records the outcome: server-side apply for create and change
 * (creating the team's namespace if needed), delete for delete.
 */
export async function applyRequest(request: ChangeRequest, actor: string, clients: KubeClients = sharedKubeClients()): Promise<ChangeRequest> {
  const db = consoleDatabase().db;
  const target = { apiVersion: String(request.manifest.apiVersion), kind: request.kind, name: request.name, namespace: request.namespace };
  let result: { ok: true } | { ok: false; error: string };
  try {
    if (request.action === "delete") {
      await deleteObject(clients, target);
    } else {
      await ensureNamespace(clients, request.namespace);
      await serverSideApply(clients, request.manifest as unknown as KubernetesObject);
    }
    result = { ok: true };
  } catch (err) {
    result = { ok: false, error: verdictOf(err).message };
    requestLog.warn({ request: request.id, err: result.error }, "apply failed");
  }
  const stored = (await recordApplyResult(db, request.id, result)) ?? request;
  await recordAudit(db, { actor, action: result.ok ? "request.apply" : "request.apply-failed", target: auditTarget(request), detail: { request: request.id, action: request.action, ...(result.ok ? {} : { error: result.error }) } });
  return stored;
}

/**
 * Stores a request after checking it: the kind is in the catalog, the namespace is the principal's,
 * the object exists (change, delete) or not (create), and the API server accepts the manifest in a
 * dry-run — so an approver never sees a request that cannot apply. Auto-approved requests are
 * applied at once.
 */
export async function submitRequest(principal: Principal, input: z.infer<typeof requestInput>, clients: KubeClients = sharedKubeClients()): Promise<RequestView> {
  const { manifest, target } = cleanManifest(principal, input.manifest);
  const live = await readObject(clients, target);
  if (input.action === "create" && live) throw new ApiError("conflict", `${target.kind} ${target.namespace}/${target.name} exists already; request a change instead`);
  if (input.action !== "create" && !live) throw new ApiError("not-found", `${target.kind} ${target.namespace}/${target.name} does not exist`);
  if (input.action !== "delete") {
    try {
      await serverSideApply(clients, manifest, { dryRun: true });
    } catch (err) {
      const verdict = verdictOf(err);
      // A team's namespace is created on the first apply; the dry-run cannot see into it before.
      const missingNamespace = /namespaces? ".*" not found/.test(verdict.message);
      if (!missingNamespace) throw new ApiError("invalid-input", verdict.message, verdict.causes.map((c) => ({ path: c.field ?? "", message: c.message })));
    }
  }
  const db = consoleDatabase().db;
  const stored = await createRequest(db, {
    kind: target.kind,
    namespace: target.namespace,
    name: target.name,
    action: input.action,
    manifest: input.action === "delete" ? { apiVersion: target.apiVersion, kind: target.kind, metadata: { name: target.name, namespace: target.namespace } } : (manifest as unknown as Record<string, unknown>),
    requestedBy: principal.username,
    comment: input.comment,
  });
  await recordAudit(db, { actor: principal.username, action: "request.create", target: auditTarget(stored), detail: { request: stored.id, action: stored.action } });
  if (autoApproves(autoApprovePolicyFromEnv(), stored)) {
    const decided = await decideRequest(db, stored.id, { approve: true, by: "auto-approve policy", comment: "approved by the auto-approve policy", auto: true });
    if (decided.outcome === "decided") {
      await recordAudit(db, { actor: "auto-approve policy", action: "request.approve", target: auditTarget(stored), detail: { request: stored.id } });
      return requestView(await applyRequest(decided.request, "auto-approve policy", clients));
    }
  }
  return requestView(stored);
}

/**
 * Approves or rejects. Only approvers and admins; an approver may not approve their own request
 * (four eyes), an admin may. Of concurrent decisions exactly one wins (row lock in
 * decideRequest); the others get 409 naming the winner. The winner applies.
 */
export async function decide(principal: Principal, id: number, input: z.infer<typeof decisionInput>, clients: KubeClients = sharedKubeClients()): Promise<RequestView> {
  if (!hasRole(principal, "approver")) throw new ApiError("forbidden", "only approvers and admins decide requests");
  const db = consoleDatabase().db;
  const request = await getRequest(db, id);
  if (!request) throw new ApiError("not-found", `no request ${id}`);
  if (input.approve && request.requestedBy === principal.username && !hasRole(principal, "admin")) {
    throw new ApiError("forbidden", "another approver must approve your own request");
  }
  const decided = await decideRequest(db, id, { approve: input.approve, by: principal.username, comment: input.comment });
  if (decided.outcome === "missing") throw new ApiError("not-found", `no request ${id}`);
  if (decided.outcome === "not-pending") {
    throw new ApiError("conflict", `request ${id} is ${decided.request.status} already${decided.request.decidedBy ? ` (by ${decided.request.decidedBy})` : ""}`);
  }
  await recordAudit(db, { actor: principal.username, action: input.approve ? "request.approve" : "request.reject", target: auditTarget(request), detail: { request: id, comment: input.comment ?? "" } });
  if (!input.approve) return requestView(decided.request);
  return requestView(await applyRequest(decided.request, principal.username, clients));
}

/** Requests the principal may see: a member's namespaces only. */
export async function requestList(principal: Principal, opts: { status?: RequestStatus[]; kind?: string; namespace?: string; name?: string } = {}): Promise<RequestView[]> {
  const { namespace, ...rest } = opts;
  const namespaces = namespace ? (canSeeNamespace(principal, namespace) ? [namespace] : []) : principal.namespaces === "all" ? undefined : [...principal.namespaces];
  return (await listRequests(consoleDatabase().db, { ...rest, namespaces })).map(requestView);
}

export interface DiffLine {
  op: "add" | "remove" | "same";
  text: string;
}

export interface RequestDetail {
  request: RequestView;
  manifestYaml: string;
  comments: { author: string; body: string; at: string }[];
  /** Current object vs what it would be after the apply (the API server's dry-run), as YAML lines. */
  diff: DiffLine[];
  /** Why the diff could not be computed (the API server refuses the manifest now). */
  diffError?: string;
}

/** The spec (and labels/annotations) of an object as YAML: what a request can change. */
function comparable(o: KubernetesObject | undefined): string {
  if (!o) return "";
  const { labels, annotations } = o.metadata ?? {};
  const meta = { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) };
  return stringify({ ...(Object.keys(meta).length ? { metadata: meta } : {}), spec: (o as { spec?: unknown }).spec ?? {} }, { sortMapEntries: true });
}

export function lineDiff(before: string, after: string): DiffLine[] {
  return diffLines(before, after).flatMap((part) =>
    part.value
      .replace(/\n$/, "")
      .split("\n")
      .map((text) => ({ op: part.added ? "add" : part.removed ? "remove" : "same", text }) as DiffLine),
  );
}

/** One request the principal may see, with comments and the diff it would apply (pending requests). */
export async function requestDetail(principal: Principal, id: number, clients: KubeClients = sharedKubeClients()): Promise<RequestDetail | undefined> {
  const db = consoleDatabase().db;
  const request = await getRequest(db, id);
  if (!request || !canSeeNamespace(principal, request.namespace)) return undefined;
  const comments = (await listComments(db, id)).map((c) => ({ author: c.author, body: c.body, at: c.at.toISOString() }));
  const detail: RequestDetail = { request: requestView(request), manifestYaml: stringify(request.manifest), comments, diff: [] };
  if (request.status !== "pending") return detail;
  const target = { apiVersion: String(request.manifest.apiVersion), kind: request.kind, name: request.name, namespace: request.namespace };
  try {
    const live = await readObject(clients, target);
    const after = request.action === "delete" ? undefined : await serverSideApply(clients, request.manifest as unknown as KubernetesObject, { dryRun: true });
    detail.diff = lineDiff(comparable(live), comparable(after));
  } catch (err) {
    detail.diffError = verdictOf(err).message;
  }
  return detail;
}

/** Adds a comment to a request the principal may see. */
export async function comment(principal: Principal, id: number, body: string): Promise<void> {
  const db = consoleDatabase().db;
  const request = await getRequest(db, id);
  if (!request || !canSeeNamespace(principal, request.namespace)) throw new ApiError("not-found", `no request ${id}`);
  await addComment(db, id, principal.username, body);
  await recordAudit(db, { actor: principal.username, action: "request.comment", target: auditTarget(request), detail: { request: id } });
}
