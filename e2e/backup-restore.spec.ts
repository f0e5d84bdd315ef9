import { expect, signIn, test } from "./fixtures";
import { USERS } from "./users";

test("the storage page shows pools and volumes; back up now adds a backup that completes", async ({ page }) => {
  await signIn(page, USERS.alice);
  await page.goto("/storage");
  for (const node of ["xlss-node-1", "xlss-node-2", "xlss-node-3", "xlss-node-4"]) await expect(page.getByTestId(`pool-${node}`)).toBeVisible();
  const row = page.getByTestId("volume-team-a-data-sample-broker-0");
  await expect(row).toContainText("5.0 GiB");
  await expect(row).toContainText("Ready");
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { name: "team-a/data-sample-broker-0" })).toBeVisible();

  await page.getByTestId("backup-now").click();
  const manual = page.getByTestId("backup-history").locator("tr", { hasText: "Manual" }).first();
  await expect(manual).toBeVisible();
  await expect(manual).toContainText("Completed", { timeout: 60_000 });
  await expect(page.getByTestId("backup-health")).toHaveText("backed up");
  await expect(page.getByTestId("chart-size")).toBeVisible();
});

test("a restore from the history completes after a confirmation that says what is overwritten", async ({ page }) => {
  await signIn(page, USERS.admin);
  await page.goto("/storage");
  await page.getByTestId("volume-team-a-data-sample-broker-1").getByRole("link").click();
  await page.getByTestId("backup-now").click();
  const done = page.getByTestId("backup-history").locator("tr", { hasText: "Completed" }).first();
  await expect(done).toBeVisible({ timeout: 60_000 });
  await done.getByRole("button", { name: "Restore" }).click();

  const dialog = page.locator("dialog[open]");
  await expect(dialog).toContainText("will be replaced by snapshot");
  await expect(dialog).toContainText("team-a/data-sample-broker-1");
  await expect(dialog).toContainText("is running and uses this volume");
  await dialog.getByTestId("restore-force").check();
  await dialog.getByTestId("restore-confirm").click();

  const phase = page.getByTestId("restores").getByTestId("restore-phase").first();
  await expect(phase).toHaveText("Completed", { timeout: 90_000 });
  await expect(page.getByTestId("restores")).toContainText("100 %");
  await page.goto("/audit");
  await expect(page.getByTestId("audit")).toContainText("restore.create");
  await expect(page.getByTestId("audit")).toContainText("backup.create");
});
