import type { Database } from "@/db/client";
import type { Role } from "@/db/schema";
import { findUserById, teamsOfUser } from "@/db/users";

const RANK: Record<Role, number> = { member: 0, approver: 1, admin: 2 };

/**
 * The signed-in user as every authorization decision sees it, loaded from the database on each
 * request: a role change or a disabled account takes effect at the next request, not at the next
 * sign-in.
 */
export interface Principal {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  teams: { team: string; namespaces: string[] }[];
  /** Namespaces the user may see and request in: "all" for approvers and admins. */
  namespaces: ReadonlySet<string> | "all";
}

export function hasRole(p: Principal, atLeast: Role): boolean {
  return RANK[p.role] >= RANK[atLeast];
}

/** Members see only their teams' namespaces; approvers and admins see every namespace. */
export function canSeeNamespace(p: Principal, namespace: string): boolean {
  return p.namespaces === "all" || p.namespaces.has(namespace);
}

/** Keeps the items in namespaces `p` may see. */
export function visible<T>(p: Principal, items: readonly T[], namespaceOf: (item: T) => string | undefined): T[] {
  return p.namespaces === "all" ? [...items] : items.filter((i) => canSeeNamespace(p, namespaceOf(i) ?? ""));
}

/** The principal of user `id`, or undefined when the user is gone or disabled. */
export async function loadPrincipal(db: Database, id: string): Promise<Principal | undefined> {
  const user = await findUserById(db, id);
  if (!user || user.disabled) return undefined;
  const teams = await teamsOfUser(db, user.id);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName || user.username,
    role: user.role,
    teams,
    namespaces: user.role === "member" ? new Set(teams.flatMap((t) => t.namespaces)) : "all",
  };
}

/** What the browser may know about the signed-in user (no ids of other objects, no secrets). */
export interface PrincipalView {
  username: string;
  displayName: string;
  role: Role;
  teams: { team: string; namespaces: string[] }[];
}

export function principalView(p: Principal): PrincipalView {
  return { username: p.username, displayName: p.displayName, role: p.role, teams: p.teams };
}
