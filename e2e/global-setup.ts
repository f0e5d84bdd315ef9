import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { addTeam, addUser } from "../lib/auth/admin";
import { kubeClients, loadKubeConfig } from "../lib/k8s/client";
import { startCluster, stopCluster } from "../local-cluster/cluster";
import { freePort, startComponent, stopComponent, tailLog, waitHealthy, type ComponentProcess } from "../local-cluster/processes";
import { OIDC_NAME, OIDC_USERS, USERS } from "./users";
import { applySampleWorkload } from "./workload";

/**
 * A fresh local cluster (its own name, never a shared one) with the storage platform and the
 * operators, two tenants' sample workloads (team-a, team-b), the console's users in a fresh PGlite
 * folder, a real OpenID provider (e2e/oidc-provider) the console trusts, and the built console
 * (`next start`) on a free loopback port. Tests find them through XLSS_E2E_BASE_URL,
 * XLSS_E2E_KUBECONFIG and XLSS_E2E_OIDC_ISSUER.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("the console is not built; run `npm run build` before the end-to-end tests");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-e2e-"));
  const cluster = await startCluster({ name: `e2e-${process.pid}`, dir: path.join(dir, "cluster") });
  let consoleProc: (ComponentProcess & { baseURL: string }) | undefined;
  let provider: (ComponentProcess & { issuer: string }) | undefined;
  const stop = async () => {
    if (consoleProc) await stopComponent(consoleProc);
    if (provider) await stopComponent(provider);
    await stopCluster(cluster.dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const oidc = { clientId: "xlss-console", clientSecret: randomBytes(24).toString("base64url") };
    provider = await startOpenIdProvider(dir, `http://127.0.0.1:${port}/api/auth/callback/oidc`, oidc);
    consoleProc = await startConsole(cluster.kubeconfig, dir, port, { ...oidc, issuer: provider.issuer });
  } catch (err) {
    await stop();
    throw err;
  }
  process.env.XLSS_E2E_OIDC_ISSUER = provider.issuer;
  process.env.XLSS_E2E_BASE_URL = consoleProc.baseURL;
  process.env.XLSS_E2E_KUBECONFIG = cluster.kubeconfig;
  return stop;
}

/**
 * The test OpenID provider (built and cached by its build.sh, as the project's other Go tools) on a
 * free port, with the console as its one client and OIDC_USERS. Its configuration file holds the
 * client secret and the passwords: mode 0600 in the run's private folder.
 */
async function startOpenIdProvider(dir: string, redirectURI: string, client: { clientId: string; clientSecret: string }): Promise<ComponentProcess & { issuer: string }> {
  const bin = execFileSync("bash", [path.join(process.cwd(), "e2e", "oidc-provider", "build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const configFile = path.join(dir, "oidc-provider.json");
  const config = {
    listen: `127.0.0.1:${port}`,
    issuer,
    clients: [{ id: client.clientId, secret: client.clientSecret, redirectURIs: [redirectURI] }],
    users: Object.values(OIDC_USERS),
  };
  fs.writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
  const proc = startComponent("oidc-provider", bin, ["-config", configFile], path.join(dir, "oidc-provider.log"));
  try {
    await waitHealthy(proc, `${issuer}/.well-known/openid-configuration`, 30_000);
  } catch (err) {
    console.error(tailLog(proc.logFile, 30));
    await stopComponent(proc);
    throw err;
  }
  return { ...proc, issuer };
}

/** Workloads, users and teams, then `next start` on `port`; on failure the caller stops the cluster. */
async function startConsole(
  kubeconfig: string,
  dir: string,
  port: number,
  oidc: { issuer: string; clientId: string; clientSecret: string },
): Promise<ComponentProcess & { baseURL: string }> {
  const clients = kubeClients(loadKubeConfig(kubeconfig));
  await Promise.all([applySampleWorkload(clients, "team-a"), applySampleWorkload(clients, "team-b")]);

  // Users before the console starts: PGlite has one owner per data folder.
  const pglite = path.join(dir, "pglite");
  const db = openDatabase({ pgliteDir: pglite });
  await db.migrate();
  for (const u of Object.values(USERS)) await addUser(db.db, "e2e-setup", { username: u.username, password: u.password, role: u.role, teams: "team" in u ? [u.team] : [] });
  await addTeam(db.db, "e2e-setup", { name: "team-a", namespaces: ["team-a"] });
  await addTeam(db.db, "e2e-setup", { name: "team-b", namespaces: ["team-b"] });
  await db.close();

  const baseURL = `http://127.0.0.1:${port}`;
  const consoleProc = startComponent(
    "console",
    "/usr/bin/env",
    [
      `KUBECONFIG=${kubeconfig}`,
      `PGLITE_DATA_DIR=${pglite}`,
      `CONSOLE_DATA_DIR=${dir}`,
      `NEXTAUTH_URL=${baseURL}`,
      `NEXTAUTH_SECRET=${randomBytes(32).toString("base64url")}`,
      // Single-broker clusters in team-b are approved without a person (catalog-requests.spec.ts).
      `CONSOLE_AUTO_APPROVE=${JSON.stringify({ namespaces: ["team-b"], maxReplicas: 1 })}`,
      // The OpenID provider, configured as an operator would (docs/console.md); the secret goes in
      // the environment below, not on the command line.
      `OIDC_ISSUER=${oidc.issuer}`,
      `OIDC_CLIENT_ID=${oidc.clientId}`,
      `OIDC_NAME=${OIDC_NAME}`,
      "OIDC_APPROVER_GROUPS=platform-approvers",
      "OIDC_MEMBER_GROUPS=developers",
      "OIDC_TEAMS_FROM_GROUPS=true",
      "NEXT_TELEMETRY_DISABLED=1",
      process.execPath,
      path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next"),
      "start",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    path.join(dir, "console.log"),
    { OIDC_CLIENT_SECRET: oidc.clientSecret },
  );
  try {
    await waitHealthy(consoleProc, `${baseURL}/signin`, 90_000);
  } catch (err) {
    console.error(tailLog(consoleProc.logFile, 50));
    await stopComponent(consoleProc);
    throw err;
  }
  return { ...consoleProc, baseURL };
}
