import { killNode, reviveNode } from "../local-cluster/nodes";
import { expect, signIn, test } from "./fixtures";
import { USERS } from "./users";

test.beforeEach(async ({ page }) => {
  await signIn(page, USERS.alice);
});

test("the nodes page lists the cluster's simulated nodes with their capacity", async ({ page }) => {
  await page.goto("/nodes");
  await expect(page.getByRole("heading", { name: "Nodes" })).toBeVisible();
  await expect(page.getByTestId("node-count")).toHaveText("4 of 4 Ready");
  const row = page.getByTestId("node-xlss-node-1");
  await expect(row).toContainText("Ready");
  await expect(row).toContainText("zone-a");
  await expect(row).toContainText("/ 15.8 cores");
  await expect(row).toContainText("/ 62.0 GiB");
});

test("a node whose heartbeats stop shows as Unknown with its taints", async ({ page, kube }) => {
  await killNode(kube, "xlss-node-2");
  try {
    // The page shows the cluster as it is when loaded; the node lifecycle controller adds the
    // NoSchedule taint with Unknown and the NoExecute one at a later pass, so reload until both.
    await expect(async () => {
      await page.goto("/nodes");
      const row = page.getByTestId("node-xlss-node-2");
      await expect(row).toContainText("Unknown", { timeout: 1000 });
      await expect(row).toContainText("node.kubernetes.io/unreachable:NoExecute", { timeout: 1000 });
    }).toPass({ timeout: 90_000 });
    await expect(page.getByTestId("node-count")).toHaveText("3 of 4 Ready");
  } finally {
    await reviveNode(kube, "xlss-node-2");
  }
});
