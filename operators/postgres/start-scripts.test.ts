import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configFiles } from "./config";
import { postgresCluster } from "./test-fixtures";

// Runs the generated start scripts in sh, as the containers would, with stand-ins for initdb,
// postgres, pg_basebackup and pg_isready that record their arguments (and single-user mode's
// standard input) and create what the real tools would.

const SUPERUSER_PASSWORD = "Su-per_secret0123456789abcdefghij";
const REPLICATION_PASSWORD = "Re-pl_secret0123456789abcdefghijk";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface Run {
  calls: string[];
  stdin: string;
  pgdata: string;
  work: string;
  config: string;
}

function run(script: "start-primary.sh" | "start-replica.sh", opts: { existingData?: boolean; primaryUpAfter?: number } = {}): Run {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pg-start-"));
  dirs.push(root);
  const [config, work, bin, data] = ["config", "work", "bin", "data"].map((d) => path.join(root, d)) as [string, string, string, string];
  for (const d of [config, work, bin, data]) fs.mkdirSync(d);
  const pgdata = path.join(data, "pgdata");
  if (opts.existingData) {
    fs.mkdirSync(pgdata);
    fs.writeFileSync(path.join(pgdata, "PG_VERSION"), "17\n");
  }
  for (const [file, text] of Object.entries(configFiles(postgresCluster()))) fs.writeFileSync(path.join(config, file), text);
  const log = path.join(root, "calls");
  const tool = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
  // The stand-ins find their target folder after -D, as the real tools take it.
  const dirArg = 'd=""; prev=""; for a in "$@"; do [ "$prev" = "-D" ] && d="$a"; prev="$a"; done';
  tool("initdb", `${dirArg}; mkdir -p "$d"; echo 17 > "$d/PG_VERSION"; cp "$(echo "$@" | sed -n 's/.*--pwfile=\\([^ ]*\\).*/\\1/p')" "${root}/pwfile-seen"`);
  tool("pg_basebackup", `${dirArg}; mkdir -p "$d"; echo 17 > "$d/PG_VERSION"`);
  tool("postgres", `case "$1" in --single) cat >> "${root}/stdin";; esac`);
  // The replica's wait between tries, without the wait.
  fs.writeFileSync(path.join(bin, "sleep"), "#!/bin/sh\n", { mode: 0o755 });
  const up = opts.primaryUpAfter ?? 0;
  tool("pg_isready", `n=$(cat "${root}/tries" 2>/dev/null || echo 0); echo $((n + 1)) > "${root}/tries"; [ "$n" -ge ${up} ]`);
  execFileSync("sh", [path.join(config, script)], {
    env: {
      ...process.env,
      PATH: `${bin}:/usr/bin:/bin`,
      XLSS_CONFIG_DIR: config,
      XLSS_WORK_DIR: work,
      PGDATA: pgdata,
      POD_NAME: script === "start-primary.sh" ? "db-primary-0" : "db-replica-1",
      PRIMARY_HOST: "db-primary.team-a.svc",
      PRIMARY_PORT: "5432",
      SUPERUSER_PASSWORD,
      REPLICATION_PASSWORD,
    },
    stdio: "pipe",
  });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  return { calls: read(log).trim().split("\n"), stdin: read(path.join(root, "stdin")), pgdata, work, config };
}

describe("start-primary.sh", () => {
  it("initdb's an empty volume with the superuser's password from a file it then removes", () => {
    const r = run("start-primary.sh");
    expect(r.calls[0]).toMatch(/^initdb -D \S+\/pgdata\.partial --username=postgres --pwfile=\S+ --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --data-checksums$/);
    expect(fs.readFileSync(path.join(path.dirname(r.work), "pwfile-seen"), "utf8")).toBe(`${SUPERUSER_PASSWORD}\n`);
    expect(fs.readdirSync(r.work)).toEqual([]);
    expect(fs.existsSync(path.join(r.pgdata, "PG_VERSION"))).toBe(true);
    expect(fs.existsSync(`${r.pgdata}.partial`)).toBe(false);
  });

  it("sets both passwords from the Secret in single-user mode, then starts the server with the generated files", () => {
    const r = run("start-primary.sh", { existingData: true });
    expect(r.calls[0]).toBe(`postgres --single -D ${r.pgdata} -c config_file=${r.config}/postgresql.conf -c log_min_error_statement=panic postgres`);
    expect(r.stdin).toBe(
      [
        `ALTER ROLE postgres PASSWORD '${SUPERUSER_PASSWORD}';`,
        "DO 'BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ''replicator'') THEN CREATE ROLE replicator; END IF; END';",
        `ALTER ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';`,
        "",
      ].join("\n"),
    );
    expect(r.calls[1]).toBe(`postgres -D ${r.pgdata} -c config_file=${r.config}/postgresql.conf -c hba_file=${r.config}/pg_hba.conf`);
    expect(r.calls).toHaveLength(2);
  });

  it("never puts a password on a command line", () => {
    const r = run("start-primary.sh");
    expect(r.calls.join("\n")).not.toContain(SUPERUSER_PASSWORD);
    expect(r.calls.join("\n")).not.toContain(REPLICATION_PASSWORD);
  });
});

describe("start-replica.sh", () => {
  it("waits for the primary, clones it with pg_basebackup and streams from it through a password file", () => {
    const r = run("start-replica.sh", { primaryUpAfter: 2 });
    expect(r.calls.slice(0, 3)).toEqual(Array(3).fill("pg_isready -q -h db-primary.team-a.svc -p 5432"));
    expect(r.calls[3]).toBe(`pg_basebackup -h db-primary.team-a.svc -p 5432 -U replicator --no-password -D ${r.pgdata}.partial -X stream --checkpoint=fast`);
    expect(fs.existsSync(path.join(r.pgdata, "standby.signal"))).toBe(true);
    const pgpass = path.join(r.work, "pgpass");
    expect(fs.readFileSync(pgpass, "utf8")).toBe(`*:*:*:replicator:${REPLICATION_PASSWORD}\n`);
    expect(fs.statSync(pgpass).mode & 0o777).toBe(0o600);
    const conf = fs.readFileSync(path.join(r.work, "postgresql.conf"), "utf8");
    expect(conf).toMatch(new RegExp(`\\nprimary_conninfo = 'host=db-primary\\.team-a\\.svc port=5432 user=replicator passfile=${pgpass} application_name=db-replica-1'\\n$`));
    expect(conf).not.toContain(REPLICATION_PASSWORD);
    expect(r.calls[4]).toBe(`postgres -D ${r.pgdata} -c config_file=${r.work}/postgresql.conf -c hba_file=${r.config}/pg_hba.conf`);
    expect(r.calls.join("\n")).not.toContain(REPLICATION_PASSWORD);
  });

  it("starts a volume that holds a data directory as it is, as a standby, with the mode PostgreSQL demands", () => {
    const r = run("start-replica.sh", { existingData: true });
    expect(fs.statSync(r.pgdata).mode & 0o777).toBe(0o700);
    expect(r.calls).toEqual([`postgres -D ${r.pgdata} -c config_file=${r.work}/postgresql.conf -c hba_file=${r.config}/pg_hba.conf`]);
    expect(fs.existsSync(path.join(r.pgdata, "standby.signal"))).toBe(true);
  });
});
