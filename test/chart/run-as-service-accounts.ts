// Runs the platform of a local cluster under the Helm chart's ServiceAccounts (or back as admin), so
// that any integration test can be run against components holding only the chart's RBAC:
//
//   npx tsx test/chart/run-as-service-accounts.ts --name chart          # the chart's RBAC
//   XLSS_TEST_KUBECONFIG=$(npm run -s cluster -- kubeconfig --name chart) npx vitest run --project integration lib/xlss/backup
//   npx tsx test/chart/run-as-service-accounts.ts --name chart --admin  # back to admin credentials
import { parseArgs } from "node:util";
import { kubeClients, loadKubeConfig } from "../../lib/k8s/client";
import { clusterDir, readState } from "../../local-cluster/cluster";
import { runPlatformAsAdmin, runPlatformAsServiceAccounts } from "./chart";

const { values } = parseArgs({ options: { name: { type: "string", default: "xlss" }, admin: { type: "boolean", default: false } } });
const state = readState(clusterDir(values.name));
if (!state) throw new Error(`no running local cluster named ${values.name}`);
if (values.admin) {
  await runPlatformAsAdmin(state);
  console.log(`cluster ${values.name}: platform components run with the admin kubeconfig again`);
} else {
  const files = await runPlatformAsServiceAccounts(state, kubeClients(loadKubeConfig(state.kubeconfig)));
  console.log(`cluster ${values.name}: platform components run under the chart's ServiceAccounts; kubeconfigs:`);
  for (const [sa, file] of Object.entries(files)) console.log(`  ${sa}: ${file}`);
}
