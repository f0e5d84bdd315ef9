import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { Database } from "./client";
import { requestComments, requests, type ChangeRequest, type RequestAction, type RequestComment, type RequestStatus } from "./schema";

// Requests to create, change or delete a middleware resource, and their comments. Who may see or
// decide which request is the caller's business (lib/console/requests.ts); this module keeps the
// state machine honest: a request leaves `pending` exactly once.

export interface NewRequest {
  kind: string;
  namespace: string;
  name: string;
  action: RequestAction;
  manifest: Record<string, unknown>;
  requestedBy: string;
  comment?: string;
}

export async function createRequest(db: Database, input: NewRequest): Promise<ChangeRequest> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(requests)
      .values({ kind: input.kind, namespace: input.namespace, name: input.name, action: input.action, manifest: input.manifest, requestedBy: input.requestedBy })
      .returning();
    if (!row) throw new Error("request insert returned no row");
    if (input.comment) await tx.insert(requestComments).values({ requestId: row.id, author: input.requestedBy, body: input.comment });
    return row;
  });
}

export async function getRequest(db: Database, id: number): Promise<ChangeRequest | undefined> {
  const [row] = await db.select().from(requests).where(eq(requests.id, id));
  return row;
}

/** Newest first; `namespaces` limits to those (a member's), `status` to those states. */
export async function listRequests(
  db: Database,
  opts: { namespaces?: readonly string[]; status?: readonly RequestStatus[]; kind?: string; name?: string; limit?: number } = {},
): Promise<ChangeRequest[]> {
  if (opts.namespaces && opts.namespaces.length === 0) return [];
  const where: SQL[] = [];
  if (opts.namespaces) where.push(inArray(requests.namespace, [...opts.namespaces]));
  if (opts.status) where.push(inArray(requests.status, [...opts.status]));
  if (opts.kind) where.push(eq(requests.kind, opts.kind));
  if (opts.name) where.push(eq(requests.name, opts.name));
  return db
    .select()
    .from(requests)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(requests.createdAt), desc(requests.id))
    .limit(opts.limit ?? 200);
}

export async function listComments(db: Database, requestId: number): Promise<RequestComment[]> {
  return db.select().from(requestComments).where(eq(requestComments.requestId, requestId)).orderBy(asc(requestComments.at), asc(requestComments.id));
}

export async function addComment(db: Database, requestId: number, author: string, body: string): Promise<RequestComment> {
  const [row] = await db.insert(requestComments).values({ requestId, author, body }).returning();
  if (!row) throw new Error("comment insert returned no row");
  return row;
}

export type Decision = { outcome: "decided"; request: ChangeRequest } | { outcome: "not-pending"; request: ChangeRequest } | { outcome: "missing" };

/**
 * Approves or rejects a pending request. The row is locked (SELECT … FOR UPDATE) for the
 * transaction, so of two approvers deciding at once exactly one sees `pending` and wins; the other
 * gets `not-pending` with the request as the winner left it. Only the winner applies.
 */
export async function decideRequest(
  db: Database,
  id: number,
  decision: { approve: boolean; by: string; comment?: string; auto?: boolean },
): Promise<Decision> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(requests).where(eq(requests.id, id)).for("update");
    if (!row) return { outcome: "missing" } as const;
    if (row.status !== "pending") return { outcome: "not-pending", request: row } as const;
    const [updated] = await tx
      .update(requests)
      .set({ status: decision.approve ? "approved" : "rejected", decidedBy: decision.by, decidedAt: new Date(), autoApproved: decision.auto ?? false })
      .where(eq(requests.id, id))
      .returning();
    if (!updated) throw new Error(`request ${id} vanished inside its own transaction`);
    if (decision.comment) await tx.insert(requestComments).values({ requestId: id, author: decision.by, body: decision.comment });
    return { outcome: "decided", request: updated } as const;
  });
}

/** Records the apply's outcome of an approved request (only approved requests move on). */
export async function recordApplyResult(db: Database, id: number, result: { ok: true } | { ok: false; error: string }): Promise<ChangeRequest | undefined> {
  const [row] = await db
    .update(requests)
    .set(result.ok ? { status: "applied", appliedAt: new Date(), error: null } : { status: "failed", error: result.error })
    .where(and(eq(requests.id, id), eq(requests.status, "approved")))
    .returning();
  return row;
}

/** Approved requests whose apply never recorded a result (the console stopped in between). */
export async function unappliedApprovals(db: Database): Promise<ChangeRequest[]> {
  return db.select().from(requests).where(eq(requests.status, "approved")).orderBy(asc(requests.id));
}
