import "server-only";
import { z } from "zod";
import { consoleDatabase } from "@/db/console";
import { ROLES } from "@/db/schema";
import { listTeams, listUsers } from "@/db/users";
import { addTeam, addUser, AdminInputError, setRole } from "@/lib/auth/admin";
import { ApiError } from "@/lib/auth/errors";
import type { Principal } from "@/lib/auth/principal";

// The admin page's reads and writes (admins only; the route wrappers check the role).

export interface AdminOverview {
  users: { username: string; displayName: string; role: string; disabled: boolean; sso: boolean; teams: string[] }[];
  teams: { name: string; namespaces: string[]; members: string[] }[];
}

export async function adminOverview(): Promise<AdminOverview> {
  const db = consoleDatabase().db;
  const [users, teams] = await Promise.all([listUsers(db), listTeams(db)]);
  return {
    users: users.map((u) => ({ username: u.username, displayName: u.displayName, role: u.role, disabled: u.disabled, sso: u.oidcSubject !== null, teams: teams.filter((t) => t.members.includes(u.username)).map((t) => t.name) })),
    teams: teams.map((t) => ({ name: t.name, namespaces: t.namespaces, members: t.members })),
  };
}

const list = z
  .string()
  .optional()
  .transform((s) => (s ?? "").split(",").map((x) => x.trim()).filter(Boolean));

export const newUserInput = z.object({ username: z.string().min(1), password: z.string().min(1), role: z.enum(ROLES), team: z.string().optional() });
export const roleInput = z.object({ username: z.string().min(1), role: z.enum(ROLES) });
export const teamInput = z.object({ name: z.string().min(1), namespaces: list, members: list });

/** Runs an admin change, turning input mistakes (weak password, taken name) into 422s. */
async function asAdminChange(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AdminInputError) throw new ApiError("invalid-input", err.message);
    throw err;
  }
}

export const createUserAction = (p: Principal, input: z.infer<typeof newUserInput>) =>
  asAdminChange(() => addUser(consoleDatabase().db, p.username, { username: input.username, password: input.password, role: input.role, teams: input.team ? [input.team] : [] }));
export const setRoleAction = (p: Principal, input: z.infer<typeof roleInput>) => asAdminChange(() => setRole(consoleDatabase().db, p.username, input.username, input.role));
export const teamAction = (p: Principal, input: z.infer<typeof teamInput>) => asAdminChange(() => addTeam(consoleDatabase().db, p.username, input));
