import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startCluster, stopCluster } from "../local-cluster/cluster";
import { freePort, startComponent, stopComponent, tailLog, waitHealthy } from "../local-cluster/processes";

/**
 * A fresh local cluster and the built console (`next start`) on a free loopback port, with its own
 * PGlite folder. Tests find them through XLSS_E2E_BASE_URL and XLSS_E2E_KUBECONFIG.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("the console is not built; run `npm run build` before the end-to-end tests");
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-e2e-"));
  const cluster = await startCluster({ name: `e2e-${process.pid}`, dir: path.join(dir, "cluster") });
  const port = await freePort();
  const consoleProc = startComponent(
    "console",
    "/usr/bin/env",
    [
      `KUBECONFIG=${cluster.kubeconfig}`,
      `PGLITE_DATA_DIR=${path.join(dir, "pglite")}`,
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
  );
  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(consoleProc, `${baseURL}/nodes`, 60_000);
  } catch (err) {
    console.error(tailLog(consoleProc.logFile, 50));
    throw err;
  }
  process.env.XLSS_E2E_BASE_URL = baseURL;
  process.env.XLSS_E2E_KUBECONFIG = cluster.kubeconfig;
  return async () => {
    await stopComponent(consoleProc);
    await stopCluster(cluster.dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
