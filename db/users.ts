import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "./client";
import { teamMembers, teamNamespaces, teams, users, type Role, type Team, type User } from "./schema";

// Users, teams and which namespaces each team owns. Password hashing is the caller's (lib/auth).

export interface NewUser {
  username: string;
  displayName?: string;
  passwordHash?: string;
  oidcSubject?: string;
  role: Role;
}

export async function createUser(db: Database, user: NewUser): Promise<User> {
  const [row] = await db.insert(users).values({ ...user, displayName: user.displayName ?? user.username }).returning();
  if (!row) throw new Error("user insert returned no row");
  return row;
}

export async function findUserByUsername(db: Database, username: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row;
}

export async function findUserById(db: Database, id: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByOidcSubject(db: Database, subject: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.oidcSubject, subject));
  return row;
}

export async function listUsers(db: Database): Promise<User[]> {
  return db.select().from(users).orderBy(asc(users.username));
}

export async function updateUser(
  db: Database,
  id: string,
  change: Partial<Pick<User, "role" | "passwordHash" | "disabled" | "displayName" | "oidcSubject">>,
): Promise<User | undefined> {
  const [row] = await db.update(users).set(change).where(eq(users.id, id)).returning();
  return row;
}

export async function hasAdmin(db: Database): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(and(eq(users.role, "admin"), eq(users.disabled, false))).limit(1);
  return rows.length > 0;
}

/** Creates the team if it is missing; returns it either way. */
export async function ensureTeam(db: Database, name: string): Promise<Team> {
  await db.insert(teams).values({ name }).onConflictDoNothing({ target: teams.name });
  const [row] = await db.select().from(teams).where(eq(teams.name, name));
  if (!row) throw new Error(`team ${name} vanished`);
  return row;
}

export async function listTeams(db: Database): Promise<(Team & { namespaces: string[]; members: string[] })[]> {
  const all = await db.select().from(teams).orderBy(asc(teams.name));
  const ns = await db.select().from(teamNamespaces);
  const members = await db.select({ teamId: teamMembers.teamId, username: users.username }).from(teamMembers).innerJoin(users, eq(users.id, teamMembers.userId));
  return all.map((t) => ({
    ...t,
    namespaces: ns.filter((n) => n.teamId === t.id).map((n) => n.namespace).sort(),
    members: members.filter((m) => m.teamId === t.id).map((m) => m.username).sort(),
  }));
}

export async function addTeamMember(db: Database, teamId: string, userId: string): Promise<void> {
  await db.insert(teamMembers).values({ teamId, userId }).onConflictDoNothing();
}

export async function removeTeamMember(db: Database, teamId: string, userId: string): Promise<void> {
  await db.delete(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)));
}

/**
 * Gives `namespace` to the team. A namespace owned by another team is refused (returns that
 * team's id) rather than silently moved: moving it changes who sees its data.
 */
export async function assignNamespace(db: Database, teamId: string, namespace: string): Promise<{ ok: true } | { ok: false; ownerTeamId: string }> {
  await db.insert(teamNamespaces).values({ namespace, teamId }).onConflictDoNothing();
  const [row] = await db.select().from(teamNamespaces).where(eq(teamNamespaces.namespace, namespace));
  if (row && row.teamId !== teamId) return { ok: false, ownerTeamId: row.teamId };
  return { ok: true };
}

/** Teams the user belongs to, with their namespaces. */
export async function teamsOfUser(db: Database, userId: string): Promise<{ team: string; namespaces: string[] }[]> {
  const memberships = await db.select({ id: teams.id, name: teams.name }).from(teamMembers).innerJoin(teams, eq(teams.id, teamMembers.teamId)).where(eq(teamMembers.userId, userId));
  if (memberships.length === 0) return [];
  const ns = await db.select().from(teamNamespaces).where(inArray(teamNamespaces.teamId, memberships.map((m) => m.id)));
  return memberships.map((m) => ({ team: m.name, namespaces: ns.filter((n) => n.teamId === m.id).map((n) => n.namespace).sort() }));
}

/** The team owning each of `namespaces` (namespace → team name); unowned ones are absent. */
export async function namespaceOwners(db: Database): Promise<Map<string, string>> {
  const rows = await db.select({ namespace: teamNamespaces.namespace, team: teams.name }).from(teamNamespaces).innerJoin(teams, eq(teams.id, teamNamespaces.teamId));
  return new Map(rows.map((r) => [r.namespace, r.team]));
}
