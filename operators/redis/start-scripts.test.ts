import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configFiles } from "./config";
import { redisCluster } from "./test-fixtures";

// Runs the generated start scripts in sh, as the containers would, with stand-ins for redis-cli
// (answering for the sentinels, or failing as when none is up) and for redis-server and
// redis-sentinel (recording the file they were started with).

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function run(script: "start-redis.sh" | "start-sentinel.sh", pod: string, sentinelsSay: string | undefined) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "redis-start-"));
  dirs.push(root);
  const [config, work, bin] = ["config", "work", "bin"].map((d) => path.join(root, d)) as [string, string, string];
  for (const d of [config, work, bin]) fs.mkdirSync(d);
  for (const [file, text] of Object.entries(configFiles(redisCluster()))) fs.writeFileSync(path.join(config, file), text);
  const answer = sentinelsSay === undefined ? 'echo "Could not connect" >&2; exit 1' : `printf '%s\\n6379\\n' "${sentinelsSay}"`;
  fs.writeFileSync(path.join(bin, "redis-cli"), `#!/bin/sh\n${answer}\n`, { mode: 0o755 });
  for (const tool of ["redis-server", "redis-sentinel"]) fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" > "${root}/started"\n`, { mode: 0o755 });
  execFileSync("sh", [path.join(config, script)], {
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      XLSS_CONFIG_DIR: config,
      XLSS_WORK_DIR: work,
      POD_NAME: pod,
      REDIS_HOST_SUFFIX: ".cache-headless.team-a.svc",
      REDIS_FIRST_SERVER: "cache-redis-0.cache-headless.team-a.svc",
      REDIS_MASTER_NAME: "cache",
      REDIS_SENTINEL_SERVICE: "cache-sentinel.team-a.svc",
    },
  });
  const file = script === "start-redis.sh" ? "redis.conf" : "sentinel.conf";
  return { conf: fs.readFileSync(path.join(work, file), "utf8"), started: fs.readFileSync(path.join(root, "started"), "utf8").trim(), work };
}

describe("start-redis.sh", () => {
  it("starts the first server of a new cluster (no sentinel knows a master yet) as the master", () => {
    const r = run("start-redis.sh", "cache-redis-0", undefined);
    expect(r.conf).toContain("replica-announce-ip cache-redis-0.cache-headless.team-a.svc\n");
    expect(r.conf).not.toContain("replicaof");
    expect(r.started).toBe(`redis-server ${r.work}/redis.conf`);
  });

  it("makes the others replicas of the first server", () => {
    expect(run("start-redis.sh", "cache-redis-2", undefined).conf).toMatch(/\nreplicaof cache-redis-0\.cache-headless\.team-a\.svc 6379\n$/);
  });

  it("rejoins the master the sentinels name after a failover, even as the first server", () => {
    const r = run("start-redis.sh", "cache-redis-0", "cache-redis-1.cache-headless.team-a.svc");
    expect(r.conf).toMatch(/\nreplicaof cache-redis-1\.cache-headless\.team-a\.svc 6379\n$/);
  });
});

describe("start-sentinel.sh", () => {
  it("monitors the master the other sentinels know, else the first server", () => {
    expect(run("start-sentinel.sh", "cache-sentinel-0", undefined).conf).toContain("sentinel monitor cache cache-redis-0.cache-headless.team-a.svc 6379 2\n");
    const r = run("start-sentinel.sh", "cache-sentinel-2", "cache-redis-1.cache-headless.team-a.svc");
    expect(r.conf).toContain("sentinel monitor cache cache-redis-1.cache-headless.team-a.svc 6379 2\n");
    expect(r.conf).toContain("sentinel announce-ip cache-sentinel-2.cache-headless.team-a.svc\n");
    expect(r.started).toBe(`redis-sentinel ${r.work}/sentinel.conf`);
  });
});
