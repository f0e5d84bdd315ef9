import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { waitFor } from "../lib/k8s/wait";
import { freePort, startComponent, stopComponent } from "../local-cluster/processes";

/** A PostgreSQL server started for one test run. */
export interface PostgresServer {
  url: string;
  stop: () => Promise<void>;
}

/** The newest PostgreSQL server binaries Debian installed (`/usr/lib/postgresql/<major>/bin`). */
export function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  const dir = majors.map((m) => path.join(root, m, "bin")).find((d) => fs.existsSync(path.join(d, "postgres")));
  if (!dir) throw new Error("PostgreSQL server binaries not found; install them: apt-get install postgresql-15");
  return dir;
}

/**
 * initdb into a temporary folder and start `postgres` on a free loopback port, trust auth, no fsync.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user the package created.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-test-pg-"));
  const asRoot = process.getuid?.() === 0;
  const runAs = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
  if (asRoot) fs.chownSync(dir, uid("postgres"), uid("postgres"));
  const data = path.join(dir, "data");
  execFileSync(...runAs(path.join(bin, "initdb"), ["-D", data, "-U", "xlss", "--auth=trust", "-E", "UTF8", "--no-sync"]), {
    stdio: "pipe",
  });
  const port = await freePort();
  const logFile = path.join(os.tmpdir(), `xlss-test-pg-${port}.log`);
  const [cmd, args] = runAs(path.join(bin, "postgres"), [
    "-D", data, "-p", String(port), "-k", dir,
    "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
  ]);
  const proc = startComponent("postgres", cmd, args, logFile);
  const url = `postgres://xlss@127.0.0.1:${port}/postgres`;
  await waitFor(
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      return true;
    },
    { what: `PostgreSQL on port ${port}`, timeoutMs: 30_000 },
  );
  return {
    url,
    stop: async () => {
      await stopComponent(proc);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(logFile, { force: true });
    },
  };
}

function uid(user: string): number {
  return Number(execFileSync("id", ["-u", user]).toString().trim());
}
