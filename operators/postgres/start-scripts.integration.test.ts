import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../lib/k8s/wait";
import { freePort, startComponent, stopComponent, type ComponentProcess } from "../../local-cluster/processes";
import { postgresBinDir } from "../../test/postgres-server";
import { configFiles, FILES } from "./config";
import { newPassword } from "./credentials";
import { CHECKPOINT_HOOK } from "./objects";
import { SOCKET_DIR } from "./topology";
import { postgresCluster } from "./test-fixtures";

// The generated configuration and start scripts with real PostgreSQL servers (the Debian package's
// binaries; on the local cluster no container runs): a primary initdb'd by start-primary.sh and a
// replica cloned and streaming by start-replica.sh, both on this machine. The only changes to what
// a pod gets are lines appended to postgresql.conf so that two servers fit on one machine: a port
// each, loopback only, a socket folder each, no fsync. PostgreSQL refuses to run as root, so as
// root the scripts run as the package's postgres user.

const HOOK_ANNOTATION = "backup.xlss.io/pre-hook";
const asRoot = process.getuid?.() === 0;
const runAs = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]);

interface Server {
  name: string;
  dir: string;
  port: number;
  proc?: ComponentProcess;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(root: string, name: string, files: Record<string, string>): Promise<Server> {
  const dir = path.join(root, name);
  for (const d of ["config", "work", "data"]) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const port = await freePort();
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "config", file), text);
  fs.appendFileSync(path.join(dir, "config", FILES.conf), `# test only\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nfsync = off\n`);
  if (asRoot) execFileSync("chown", ["-R", "postgres:postgres", root]);
  return { name, dir, port };
}

function start(s: Server, script: string, env: Record<string, string>): void {
  const vars = {
    PATH: `${postgresBinDir()}:/usr/bin:/bin`,
    XLSS_CONFIG_DIR: path.join(s.dir, "config"),
    XLSS_WORK_DIR: path.join(s.dir, "work"),
    PGDATA: path.join(s.dir, "data", "pgdata"),
    POD_NAME: s.name,
    ...env,
  };
  s.proc = startComponent(s.name, ...runAs("env", [...Object.entries(vars).map(([k, v]) => `${k}=${v}`), "sh", path.join(s.dir, "config", script)]), path.join(s.dir, "log"));
  const proc = s.proc;
  cleanups.push(() => stopComponent(proc));
}

async function stop(s: Server): Promise<void> {
  if (s.proc) await stopComponent(s.proc);
}

/** Runs a query as `user` with `password` over TCP (scram-sha-256, as a client in another pod would). */
async function query<T extends object>(s: Server, user: string, password: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ host: "127.0.0.1", port: s.port, user, password, database: "postgres" });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const serverLog = (s: Server) => (fs.existsSync(path.join(s.dir, "log")) ? fs.readFileSync(path.join(s.dir, "log"), "utf8") : "");

describe("the PostgreSQL start scripts on real servers", () => {
  it("initdb a primary, clone a streaming replica from it, take passwords from the Secret only, and run the CHECKPOINT hook", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-pg-scripts-"));
    cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
    const files = configFiles(postgresCluster({ replicas: 2, config: { work_mem: "8MB", log_min_duration_statement: 1000 } }));
    const primary = await server(root, "db-primary-0", files);
    const replica = await server(root, "db-replica-0", files);
    const secret = { SUPERUSER_PASSWORD: newPassword(), REPLICATION_PASSWORD: newPassword() };
    const env = { ...secret, PRIMARY_HOST: "127.0.0.1", PRIMARY_PORT: String(primary.port) };

    start(primary, FILES.startPrimary, env);
    await waitFor(() => query(primary, "postgres", secret.SUPERUSER_PASSWORD, "SELECT 1").then(() => true), { what: `the primary (log: ${primary.dir}/log)`, timeoutMs: 60_000 });
    expect(await query(primary, "postgres", secret.SUPERUSER_PASSWORD, "SHOW work_mem")).toEqual([{ work_mem: "8MB" }]);
    await expect(query(primary, "postgres", "wrong", "SELECT 1")).rejects.toThrow(/password authentication failed/);
    // The replication user may replicate, not log in to a database.
    await expect(query(primary, "replicator", secret.REPLICATION_PASSWORD, "SELECT 1")).rejects.toThrow(/pg_hba.conf rejects connection for host "127.0.0.1", user "replicator"/);
    await query(primary, "postgres", secret.SUPERUSER_PASSWORD, "CREATE TABLE orders (id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2)");

    start(replica, FILES.startReplica, env);
    const onReplica = (sql: string) => query<Record<string, unknown>>(replica, "postgres", secret.SUPERUSER_PASSWORD, sql);
    await waitFor(() => onReplica("SELECT count(*)::int AS n FROM orders").then((r) => r[0]?.n === 2), { what: `the replica's copy (log: ${replica.dir}/log)`, timeoutMs: 90_000 });
    expect(await onReplica("SELECT pg_is_in_recovery() AS standby")).toEqual([{ standby: true }]);
    await expect(onReplica("INSERT INTO orders VALUES (3)")).rejects.toThrow(/read-only transaction/);
    await query(primary, "postgres", secret.SUPERUSER_PASSWORD, "INSERT INTO orders VALUES (3)");
    await waitFor(() => onReplica("SELECT count(*)::int AS n FROM orders").then((r) => r[0]?.n === 3), { what: "the row streamed to the replica", timeoutMs: 30_000 });
    expect(await query(primary, "postgres", secret.SUPERUSER_PASSWORD, "SELECT application_name, state FROM pg_stat_replication")).toEqual([
      { application_name: "db-replica-0", state: "streaming" },
    ]);

    // The backup hook, as the node agent execs it in the container (here: as the postgres user, on
    // this server's socket folder and port): peer authentication, CHECKPOINT on the primary and a
    // restartpoint on the replica.
    const hook = JSON.parse(CHECKPOINT_HOOK[HOOK_ANNOTATION]!) as string[];
    for (const s of [primary, replica]) {
      const [cmd, ...args] = hook.map((a) => (a === SOCKET_DIR ? s.dir : a));
      execFileSync(...runAs("env", [`PGPORT=${s.port}`, cmd!, ...args]), { stdio: "pipe" });
    }

    // A new Secret (a cluster re-created on retained volumes): the primary takes its passwords at
    // start, and the replica, restarted with it too, streams again.
    await stop(replica);
    await stop(primary);
    const rotated = { SUPERUSER_PASSWORD: newPassword(), REPLICATION_PASSWORD: newPassword() };
    start(primary, FILES.startPrimary, { ...env, ...rotated });
    await waitFor(() => query(primary, "postgres", rotated.SUPERUSER_PASSWORD, "SELECT 1").then(() => true), { what: "the restarted primary", timeoutMs: 60_000 });
    await expect(query(primary, "postgres", secret.SUPERUSER_PASSWORD, "SELECT 1")).rejects.toThrow(/password authentication failed/);
    start(replica, FILES.startReplica, { ...env, ...rotated });
    await query(primary, "postgres", rotated.SUPERUSER_PASSWORD, "INSERT INTO orders VALUES (4)");
    await waitFor(
      () => query<{ n: number }>(replica, "postgres", rotated.SUPERUSER_PASSWORD, "SELECT count(*)::int AS n FROM orders").then((r) => r[0]?.n === 4),
      { what: `the restarted replica streaming (log: ${replica.dir}/log)`, timeoutMs: 60_000 },
    );

    // No password in either server's output.
    for (const s of [primary, replica]) for (const p of [...Object.values(secret), ...Object.values(rotated)]) expect(serverLog(s)).not.toContain(p);
  });
});
