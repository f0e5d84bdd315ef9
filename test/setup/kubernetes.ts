import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startCluster, stopCluster } from "../../local-cluster/cluster";

/**
 * Global setup of the integration project: one real local cluster for the whole run (etcd,
 * kube-apiserver, kube-controller-manager, kube-scheduler, KWOK), torn down at the end.
 * `XLSS_TEST_KUBECONFIG` points the run at a cluster that is already up (`npm run cluster -- up`)
 * for a quick edit-test loop; such a cluster is left running.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.XLSS_TEST_KUBECONFIG;
  if (existing) {
    project.provide("kubeconfig", existing);
    return async () => {};
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-test-cluster-"));
  const state = await startCluster({
    name: `test-${process.pid}`,
    dir,
    progress: (line) => console.log(`[cluster] ${line}`),
  });
  project.provide("kubeconfig", state.kubeconfig);
  return () => stopCluster(dir);
}

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
  }
}
