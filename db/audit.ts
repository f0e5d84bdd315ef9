import { desc, eq } from "drizzle-orm";
import type { Database } from "./client";
import { auditEvents, type AuditEvent } from "./schema";

export interface NewAuditEvent {
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

/** Appends one audit row and returns it as stored (with its id and server timestamp). */
export async function recordAudit(db: Database, event: NewAuditEvent): Promise<AuditEvent> {
  const [row] = await db.insert(auditEvents).values({ ...event, detail: event.detail ?? {} }).returning();
  if (!row) throw new Error("audit insert returned no row");
  return row;
}

/** Newest first; `target` narrows to one object's history. */
export async function listAudit(db: Database, opts: { target?: string; limit?: number } = {}): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(opts.target ? eq(auditEvents.target, opts.target) : undefined)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(opts.limit ?? 100);
}
