import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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

/** What a console user may do: members request in their teams' namespaces; approvers also approve and see everything; admins also manage users and teams. */
export const ROLES = ["member", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Console users. `passwordHash` (argon2id) is set for local accounts, `oidcSubject` (`<issuer>|<sub>`)
 * for accounts created on first OIDC sign-in; an account may have both. `disabled` users cannot
 * sign in and their existing sessions stop working at the next request.
 */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: text("username").notNull(),
    displayName: text("display_name").notNull().default(""),
    passwordHash: text("password_hash"),
    oidcSubject: text("oidc_subject"),
    role: text("role", { enum: ROLES }).notNull().default("member"),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_username_idx").on(t.username), uniqueIndex("users_oidc_subject_idx").on(t.oidcSubject)],
);

/** A team owns namespaces; its members see and request only there. */
export const teams = pgTable("teams", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/** Each Kubernetes namespace belongs to at most one team (the primary key says so). */
export const teamNamespaces = pgTable(
  "team_namespaces",
  {
    namespace: text("namespace").primaryKey(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
  },
  (t) => [index("team_namespaces_team_idx").on(t.teamId)],
);

export const REQUEST_ACTIONS = ["create", "change", "delete"] as const;
export type RequestAction = (typeof REQUEST_ACTIONS)[number];
export const REQUEST_STATUSES = ["pending", "approved", "rejected", "applied", "failed"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * A request to create, change or delete one middleware resource. `manifest` is the exact custom
 * resource that will be applied (for delete: the object's identity). `status` moves pending →
 * approved → applied | failed, or pending → rejected; the move out of pending happens under a row
 * lock so that two approvers at once produce exactly one apply.
 */
export const requests = pgTable(
  "requests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    kind: text("kind").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    action: text("action", { enum: REQUEST_ACTIONS }).notNull(),
    manifest: jsonb("manifest").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: REQUEST_STATUSES }).notNull().default("pending"),
    requestedBy: text("requested_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: text("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    autoApproved: boolean("auto_approved").notNull().default(false),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    /** Why the apply failed, in the API server's words. */
    error: text("error"),
  },
  (t) => [index("requests_status_idx").on(t.status, t.createdAt), index("requests_namespace_idx").on(t.namespace, t.createdAt)],
);

/** Comments on a request, the approver's decision comment included. */
export const requestComments = pgTable(
  "request_comments",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    requestId: bigint("request_id", { mode: "number" })
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    author: text("author").notNull(),
    body: text("body").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("request_comments_request_idx").on(t.requestId, t.at)],
);

/** Console-wide settings kept in the database, e.g. the generated session-signing secret. */
export const consoleSettings = pgTable("console_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * Failed password sign-ins per key (`user:<username, lower-case>`), for rate limiting
 * (lib/auth/rate-limit.ts): `failures` counted since `windowStart`; once they reach the limit the
 * key is refused until `lockedUntil`. A successful sign-in deletes the row.
 */
export const signInFailures = pgTable("sign_in_failures", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
});

export type User = typeof users.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type ChangeRequest = typeof requests.$inferSelect;
export type RequestComment = typeof requestComments.$inferSelect;
