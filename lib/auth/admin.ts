import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { recordAudit } from "@/db/audit";
import type { Database } from "@/db/client";
import type { Role, User } from "@/db/schema";
import { addTeamMember, assignNamespace, createUser, ensureTeam, findUserByUsername, hasAdmin, updateUser } from "@/db/users";
import type { Env } from "./oidc";
import { hashPassword, passwordProblem } from "./password";

// User and team administration shared by the CLI (`npm run console:admin`) and the admin pages.
// Every change is audited under the acting user's name.

const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,62}$/i;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export class AdminInputError extends Error {}

export async function addUser(
  db: Database,
  actor: string,
  input: { username: string; password: string; role: Role; displayName?: string; teams?: string[] },
): Promise<User> {
  if (!USERNAME.test(input.username)) throw new AdminInputError(`invalid username ${JSON.stringify(input.username)}: letters, digits and . _ @ - only`);
  const problem = passwordProblem(input.password, input.username);
  if (problem) throw new AdminInputError(problem);
  if (await findUserByUsername(db, input.username)) throw new AdminInputError(`user ${input.username} exists already`);
  const user = await createUser(db, { username: input.username, displayName: input.displayName, role: input.role, passwordHash: await hashPassword(input.password) });
  for (const team of input.teams ?? []) await addTeamMember(db, (await ensureTeam(db, team)).id, user.id);
  await recordAudit(db, { actor, action: "user.create", target: `user/${user.username}`, detail: { role: user.role, teams: input.teams ?? [] } });
  return user;
}

export async function setPassword(db: Database, actor: string, username: string, password: string): Promise<void> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new AdminInputError(`no user ${username}`);
  const problem = passwordProblem(password, username);
  if (problem) throw new AdminInputError(problem);
  await updateUser(db, user.id, { passwordHash: await hashPassword(password) });
  await recordAudit(db, { actor, action: "user.password", target: `user/${username}` });
}

export async function setRole(db: Database, actor: string, username: string, role: Role): Promise<void> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new AdminInputError(`no user ${username}`);
  await updateUser(db, user.id, { role });
  await recordAudit(db, { actor, action: "user.role", target: `user/${username}`, detail: { from: user.role, to: role } });
}

export async function setDisabled(db: Database, actor: string, username: string, disabled: boolean): Promise<void> {
  const user = await findUserByUsername(db, username);
  if (!user) throw new AdminInputError(`no user ${username}`);
  await updateUser(db, user.id, { disabled });
  await recordAudit(db, { actor, action: disabled ? "user.disable" : "user.enable", target: `user/${username}` });
}

/** Creates the team if needed, gives it `namespaces` and adds `members`. */
export async function addTeam(db: Database, actor: string, input: { name: string; namespaces?: string[]; members?: string[] }): Promise<void> {
  if (!NAMESPACE.test(input.name)) throw new AdminInputError(`invalid team name ${JSON.stringify(input.name)}: lower-case letters, digits and -`);
  const team = await ensureTeam(db, input.name);
  for (const ns of input.namespaces ?? []) {
    if (!NAMESPACE.test(ns)) throw new AdminInputError(`invalid namespace ${JSON.stringify(ns)}`);
    const result = await assignNamespace(db, team.id, ns);
    if (!result.ok) throw new AdminInputError(`namespace ${ns} belongs to another team already`);
  }
  for (const username of input.members ?? []) {
    const user = await findUserByUsername(db, username);
    if (!user) throw new AdminInputError(`no user ${username}`);
    await addTeamMember(db, team.id, user.id);
  }
  await recordAudit(db, { actor, action: "team.update", target: `team/${input.name}`, detail: { namespaces: input.namespaces ?? [], members: input.members ?? [] } });
}

/**
 * Makes sure an administrator exists when the console starts. CONSOLE_ADMIN_USERNAME and
 * CONSOLE_ADMIN_PASSWORD create one; without them a first admin `admin` gets a random password
 * written to `<dataDir>/initial-admin-password` (0600) — the password is never logged.
 * Returns what happened, for the caller's log line.
 */
export async function bootstrapAdmin(db: Database, env: Env, dataDir: string): Promise<{ created: false } | { created: true; username: string; passwordFile?: string }> {
  if (await hasAdmin(db)) return { created: false };
  const username = env.CONSOLE_ADMIN_USERNAME ?? "admin";
  if (env.CONSOLE_ADMIN_PASSWORD) {
    await addUser(db, "bootstrap", { username, password: env.CONSOLE_ADMIN_PASSWORD, role: "admin" });
    return { created: true, username };
  }
  const password = randomBytes(18).toString("base64url");
  fs.mkdirSync(dataDir, { recursive: true });
  const passwordFile = path.join(dataDir, "initial-admin-password");
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  await addUser(db, "bootstrap", { username, password, role: "admin" });
  return { created: true, username, passwordFile };
}
