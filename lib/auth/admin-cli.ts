// `npm run console:admin -- <command>`: users and teams of the console, from the command line —
// for the first administrator and for scripts. Uses the database the environment names (as
// `npm run db:migrate`); with the embedded PGlite, stop the console first (one owner per folder).
//
//   user add NAME --role member|approver|admin [--team T]... [--display-name D]
//   user password NAME
//   user role NAME ROLE
//   user disable NAME | user enable NAME
//   team add NAME [--namespace NS]... [--member USER]...
//   list
//
// Passwords are read from standard input (one line) or $CONSOLE_PASSWORD, never from the command
// line, where other users of the machine could read them.
import { parseArgs } from "node:util";
import { databaseConfigFromEnv, openDatabase } from "@/db/client";
import { ROLES, type Role } from "@/db/schema";
import { listTeams, listUsers } from "@/db/users";
import { addTeam, addUser, AdminInputError, setDisabled, setPassword, setRole } from "./admin";

const USAGE = `usage: npm run console:admin -- user add NAME --role ROLE [--team T]... | user password NAME | user role NAME ROLE | user disable|enable NAME | team add NAME [--namespace NS]... [--member U]... | list`;

async function readPassword(): Promise<string> {
  if (process.env.CONSOLE_PASSWORD) return process.env.CONSOLE_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write("password: ");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}

function role(value: string | undefined): Role {
  if (!ROLES.includes(value as Role)) throw new AdminInputError(`--role must be one of ${ROLES.join(", ")}`);
  return value as Role;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: "string" },
      team: { type: "string", multiple: true },
      namespace: { type: "string", multiple: true },
      member: { type: "string", multiple: true },
      "display-name": { type: "string" },
    },
  });
  const [area, verb, name, extra] = positionals;
  const handle = openDatabase(databaseConfigFromEnv());
  const actor = `cli:${process.env.USER ?? "unknown"}`;
  try {
    await handle.migrate();
    const db = handle.db;
    if (area === "list") {
      for (const u of await listUsers(db)) console.log(`user ${u.username}\t${u.role}${u.disabled ? "\tdisabled" : ""}`);
      for (const t of await listTeams(db)) console.log(`team ${t.name}\tnamespaces: ${t.namespaces.join(",") || "-"}\tmembers: ${t.members.join(",") || "-"}`);
      return;
    }
    if (!name) throw new AdminInputError(USAGE);
    if (area === "user" && verb === "add") {
      await addUser(db, actor, { username: name, password: await readPassword(), role: role(values.role), displayName: values["display-name"], teams: values.team });
    } else if (area === "user" && verb === "password") {
      await setPassword(db, actor, name, await readPassword());
    } else if (area === "user" && verb === "role") {
      await setRole(db, actor, name, role(extra));
    } else if (area === "user" && (verb === "disable" || verb === "enable")) {
      await setDisabled(db, actor, name, verb === "disable");
    } else if (area === "team" && verb === "add") {
      await addTeam(db, actor, { name, namespaces: values.namespace, members: values.member });
    } else {
      throw new AdminInputError(USAGE);
    }
    console.log(`${area} ${name}: done`);
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof AdminInputError ? err.message : err);
  process.exitCode = 1;
});
