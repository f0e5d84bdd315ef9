import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Who did what, when, to which object: every request, approval, apply and restore appends one row.
 * Append-only; `target` names the object as `<kind>/<namespace>/<name>` so one object's history is
 * one indexed lookup.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_events_at_idx").on(t.at), index("audit_events_target_idx").on(t.target, t.at)],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
