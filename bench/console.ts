// Benchmark: the console's cluster list with 1,000 KafkaClusters — server response time of
// GET /api/clusters (JSON, from the watch cache) and of the /clusters page (server-rendered HTML),
// p50/p95 — and the JavaScript each main page ships to the browser (raw and gzip), each against a
// baseline measured in the same run:
//  - response time: the kube-apiserver's own list of the same 1,000 KafkaClusters
//    (GET /apis/paas.xlss.io/v1alpha1/kafkaclusters, the admin's token), the same number of
//    sequential requests from the same client, interleaved one for one with the console's so the
//    machine's changing load falls on both alike. The ratio is what the console adds on top of the
//    API server (its watch cache, the session and team lookup, authorization, its JSON shape) — a
//    ratio under 1 means it answers faster than a list from the API server would;
//  - JavaScript: the sign-in page, the smallest page of the same app (the framework, the root layout
//    and one form): what every page ships whatever it shows. The ratio per page is how much more
//    that page's own code makes it.
// Both sides of the response-time comparison go through one node:http(s) client with keep-alive and
// gzip accepted (as fetch does): fetch could not be given the local cluster's CA.
//
//   npm run build && npm run bench:console -- [--clusters 1000] [--requests 200]
//
// Runs on its own bare local cluster (`bench-console-<pid>`: the control plane and the CRDs, no
// operators: the objects get a realistic status written directly) and the built console on a free
// port with a fresh PGlite folder.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { openDatabase } from "../db/client";
import { addTeam, addUser } from "../lib/auth/admin";
import { kubeClients, loadKubeConfig, mergePatch, type KubeClients } from "../lib/k8s/client";
import { startCluster, stopCluster } from "../local-cluster/cluster";
import { freePort, startComponent, stopComponent, waitHealthy } from "../local-cluster/processes";
import { installOperatorCrds } from "../operators/test-operator";
import { rssBytes } from "./proc-stats";

const { values } = parseArgs({ options: { clusters: { type: "string", default: "1000" }, requests: { type: "string", default: "200" } } });
const clusterCount = Number(values.clusters);
const requestCount = Number(values.requests);
const NAMESPACES = 10;
const ADMIN = { username: "bench", password: "long-passphrase-for-timing-runs" };

const group = { group: "paas.xlss.io", version: "v1alpha1", plural: "kafkaclusters" };

/** Creates the KafkaClusters (32 in flight) with the status an operator would write for 3 ready brokers. */
async function createClusters(kube: KubeClients): Promise<void> {
  for (let n = 0; n < NAMESPACES; n++) await kube.core.createNamespace({ body: { metadata: { name: `team-${n}` } } });
  const now = new Date().toISOString();
  for (let i = 0; i < clusterCount; i += 32) {
    await Promise.all(
      Array.from({ length: Math.min(32, clusterCount - i) }, async (_, k) => {
        const name = `kafka-${i + k}`;
        const namespace = `team-${(i + k) % NAMESPACES}`;
        await kube.custom.createNamespacedCustomObject({ ...group, namespace, body: { apiVersion: "paas.xlss.io/v1alpha1", kind: "KafkaCluster", metadata: { name, namespace }, spec: { replicas: 3 } } });
        const members = [0, 1, 2].map((m) => ({ name: `${name}-broker-${m}`, role: "combined", id: m, node: `xlss-node-${m + 1}`, zone: `zone-${m % 2}`, ready: true, version: "4.1.1", upToDate: true }));
        const condition = (type: string, status: string, reason: string) => ({ type, status, reason, message: "", lastTransitionTime: now, observedGeneration: 1 });
        await kube.custom.patchNamespacedCustomObjectStatus(
          {
            ...group,
            namespace,
            name,
            body: {
              status: {
                phase: "Running",
                observedGeneration: 1,
                version: "4.1.1",
                replicas: 3,
                readyReplicas: 3,
                bootstrapServers: `${name}-bootstrap.${namespace}.svc:9092`,
                endpoints: [{ listener: "plain", bootstrapServers: `${name}-bootstrap.${namespace}.svc:9092`, tls: false }],
                members,
                conditions: [condition("Ready", "True", "AllMembersReady"), condition("Progressing", "False", "Reconciled"), condition("Degraded", "False", "AsExpected")],
              },
            },
          },
          mergePatch,
        );
      }),
    );
  }
}

/** A signed-in cookie jar for plain fetch: next-auth's CSRF token, then the credentials callback. */
async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, username: ADMIN.username, password: ADMIN.password, json: "true" }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c?.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed: HTTP ${res.status}`);
  return session;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** One server to time: where, with which headers (cookie or bearer token), and how to check an answer. */
interface Target {
  url: string;
  headers: Record<string, string>;
  check: (body: string) => void;
}

/** The one HTTP client of the timings: keep-alive agents, gzip accepted and unpacked, as fetch does. */
function httpClient(ca?: Buffer): (url: string, headers: Record<string, string>) => Promise<{ status: number; body: string }> {
  const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 1 }), https: new https.Agent({ keepAlive: true, maxSockets: 1, ca }) };
  return (url, headers) =>
    new Promise((resolve, reject) => {
      const secure = url.startsWith("https:");
      const req = (secure ? https : http).get(url, { agent: secure ? agents.https : agents.http, headers: { ...headers, "accept-encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const body = (res.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on("error", reject);
    });
}
let get: ReturnType<typeof httpClient> = httpClient();

interface Timing {
  p50: number;
  p95: number;
  bytes: number;
}

/** Times `count` sequential GETs of each target, taking turns (one request of each, then again); checks each answers 200. */
async function time(targets: Target[], count: number): Promise<Timing[]> {
  const ms = targets.map(() => [] as number[]);
  const bytes = targets.map(() => 0);
  for (let i = 0; i < count; i++) {
    for (const [t, target] of targets.entries()) {
      const t0 = performance.now();
      const res = await get(target.url, target.headers);
      ms[t]!.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`${target.url}: HTTP ${res.status}`);
      if (i === 0) target.check(res.body);
      bytes[t] = res.body.length;
    }
  }
  return ms.map((m, t) => {
    m.sort((a, b) => a - b);
    return { p50: percentile(m, 50), p95: percentile(m, 95), bytes: bytes[t]! };
  });
}

/** The page's own and shared JavaScript: every script the HTML loads, raw and gzip. */
async function pageJs(base: string, page: string, cookie: string): Promise<{ raw: number; gzip: number; files: number }> {
  const html = await (await fetch(`${base}${page}`, { headers: { cookie } })).text();
  const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js[^"]*)"/g)].map((m) => m[1]!))];
  let raw = 0;
  let gzip = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { raw, gzip, files: srcs.length };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) throw new Error("build the console first: npm run build");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-bench-console-"));
  const cluster = await startCluster({ name: `bench-console-${process.pid}`, dir: path.join(dir, "cluster"), nodes: 4, platform: false });
  let consoleProc: ReturnType<typeof startComponent> | undefined;
  try {
    const kube = kubeClients(loadKubeConfig(cluster.kubeconfig));
    await installOperatorCrds(kube);
    const t0 = Date.now();
    await createClusters(kube);
    console.log(`${clusterCount} KafkaClusters created with status in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const pglite = path.join(dir, "pglite");
    const db = openDatabase({ pgliteDir: pglite });
    await db.migrate();
    await addUser(db.db, "bench", { ...ADMIN, role: "admin" });
    await addTeam(db.db, "bench", { name: "team-0", namespaces: ["team-0"] });
    await db.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    consoleProc = startComponent(
      "console",
      "/usr/bin/env",
      [`KUBECONFIG=${cluster.kubeconfig}`, `PGLITE_DATA_DIR=${pglite}`, `NEXTAUTH_URL=${base}`, `NEXTAUTH_SECRET=${randomBytes(32).toString("base64url")}`, "NEXT_TELEMETRY_DISABLED=1", "LOG_LEVEL=warn",
        process.execPath, path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next"), "start", "--hostname", "127.0.0.1", "--port", String(port)],
      path.join(dir, "console.log"),
    );
    await waitHealthy(consoleProc, `${base}/signin`, 90_000);
    const cookie = await signIn(base);

    // The first request fills the watch cache (one list of every cluster); it is reported apart.
    const first = performance.now();
    const warm = await fetch(`${base}/api/clusters`, { headers: { cookie } });
    const listed = ((await warm.json()) as unknown[]).length;
    console.log(`first GET /api/clusters (cache fill): ${(performance.now() - first).toFixed(0)} ms, ${listed} clusters`);
    if (listed !== clusterCount) throw new Error(`expected ${clusterCount} clusters, got ${listed}`);

    // The baseline: the API server's list of the same objects, with the admin's token, through the same client.
    const kc = loadKubeConfig(cluster.kubeconfig);
    const caData = kc.getCurrentCluster()?.caData;
    get = httpClient(caData ? Buffer.from(caData, "base64") : undefined);
    const token = kc.getCurrentUser()?.token;
    if (!token) throw new Error("the cluster's kubeconfig has no token");
    const apiserverList = `${kc.getCurrentCluster()!.server}/apis/${group.group}/${group.version}/${group.plural}`;
    const firstList = performance.now();
    const apiserverWarm = await get(apiserverList, { authorization: `Bearer ${token}` });
    const apiserverListed = (JSON.parse(apiserverWarm.body) as { items: unknown[] }).items.length;
    console.log(`first GET of the kube-apiserver's list: ${(performance.now() - firstList).toFixed(0)} ms, ${apiserverListed} KafkaClusters`);

    const [api, apiserver] = await time(
      [
        {
          url: `${base}/api/clusters`,
          headers: { cookie },
          check: (b) => {
            if ((JSON.parse(b) as unknown[]).length !== clusterCount) throw new Error("incomplete list");
          },
        },
        {
          url: apiserverList,
          headers: { authorization: `Bearer ${token}` },
          check: (b) => {
            if ((JSON.parse(b) as { items: unknown[] }).items.length !== clusterCount) throw new Error("incomplete API server list");
          },
        },
      ],
      requestCount,
    );
    const [html] = await time(
      [
        {
          url: `${base}/clusters`,
          headers: { cookie },
          check: (b) => {
            if (!b.includes(`kafka-${clusterCount - 1}`)) throw new Error("the page lacks the last cluster");
          },
        },
      ],
      Math.max(20, Math.round(requestCount / 4)),
    );
    console.log(`GET /api/clusters (${clusterCount} clusters, ${(api!.bytes / 1024).toFixed(0)} KiB JSON): p50 ${api!.p50.toFixed(1)} ms, p95 ${api!.p95.toFixed(1)} ms over ${requestCount} requests`);
    console.log(`GET /clusters page (${(html!.bytes / 1024).toFixed(0)} KiB HTML): p50 ${html!.p50.toFixed(1)} ms, p95 ${html!.p95.toFixed(1)} ms`);
    console.log(`console RSS after the run: ${(rssBytes(consoleProc.pid) / 1024 ** 2).toFixed(0)} MiB (the next start wrapper's process; the server is its child)`);

    console.log(`\nResponse time, ${clusterCount} KafkaClusters, ${requestCount} sequential requests each, taking turns (ms)\n`);
    console.log("server                                   | size KiB |   p50 |   p95");
    console.log("-----------------------------------------|----------|-------|------");
    for (const [label, t] of [["console GET /api/clusters", api!], ["kube-apiserver list (baseline)", apiserver!]] as const) {
      console.log(`${label.padEnd(40)} | ${(t.bytes / 1024).toFixed(0).padStart(8)} | ${t.p50.toFixed(1).padStart(5)} | ${t.p95.toFixed(1).padStart(5)}`);
    }
    console.log(`ratio console / kube-apiserver: p50 ×${(api!.p50 / apiserver!.p50).toFixed(2)}, p95 ×${(api!.p95 / apiserver!.p95).toFixed(2)}`);

    console.log("\nJavaScript shipped per page (all scripts the page loads), against the sign-in page (the smallest: framework, root layout, one form)\n");
    console.log("page                     |  raw KiB | gzip KiB | files | ratio raw | ratio gzip");
    console.log("-------------------------|----------|----------|-------|-----------|-----------");
    let signinJs: Awaited<ReturnType<typeof pageJs>> | undefined;
    for (const page of ["/signin", "/clusters", "/catalog/kafkaclusters", "/requests", "/approvals", "/storage", "/backups", "/failovers"]) {
      const js = await pageJs(base, page, cookie);
      signinJs ??= js;
      console.log(
        `${page.padEnd(24)} | ${(js.raw / 1024).toFixed(0).padStart(8)} | ${(js.gzip / 1024).toFixed(0).padStart(8)} | ${String(js.files).padStart(5)} | ${(js.raw / signinJs.raw).toFixed(2).padStart(9)} | ${(js.gzip / signinJs.gzip).toFixed(2).padStart(10)}`,
      );
    }
  } finally {
    if (consoleProc) await stopComponent(consoleProc);
    await stopCluster(cluster.dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
