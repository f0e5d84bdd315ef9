import { expect, apiAs, signIn, test } from "./fixtures";
import { USERS } from "./users";

test("signing in: a wrong password is refused, the right one opens the console", async ({ page }) => {
  await page.goto("/storage");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fstorage/);
  await page.getByLabel("Username").fill(USERS.alice.username);
  await page.getByLabel("Password").fill("not-her-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Wrong username or password")).toBeVisible();
  await page.getByLabel("Password").fill(USERS.alice.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/storage$/);
  await expect(page.getByTestId("whoami")).toContainText("alice");
  // A member's navigation has no approval queue or admin page.
  await expect(page.getByRole("link", { name: "Approvals" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Users & teams" })).toHaveCount(0);
});

test("a member sees only her team's namespace, and cannot approve", async ({ page, request, baseURL }) => {
  await signIn(page, USERS.alice);
  await page.goto("/storage");
  await expect(page.getByTestId("volume-team-a-data-sample-broker-0")).toBeVisible();
  await expect(page.getByTestId("volumes")).not.toContainText("team-b");
  await page.goto("/approvals");
  await expect(page.getByTestId("forbidden")).toBeVisible();

  // The same at the HTTP level, with her session.
  const admin = await apiAs(request, baseURL!, USERS.admin);
  const all = (await (await admin.get("/api/storage")).json()) as { volumes: { name: string; namespace: string }[] };
  const teamB = all.volumes.find((v) => v.namespace === "team-b");
  expect(teamB).toBeDefined();
  const { request: fresh } = await import("@playwright/test");
  const aliceCtx = await fresh.newContext();
  const alice = await apiAs(aliceCtx, baseURL!, USERS.alice);
  const mine = (await (await alice.get("/api/storage")).json()) as { volumes: { namespace: string }[] };
  expect(new Set(mine.volumes.map((v) => v.namespace))).toEqual(new Set(["team-a"]));
  expect((await alice.get(`/api/volumes/${teamB!.name}`)).status()).toBe(404);
  expect((await alice.post(`/api/volumes/${teamB!.name}/backups`)).status()).toBe(404);
  expect((await alice.post("/api/requests/1/decision", { approve: true })).status()).toBe(403);
  expect((await alice.post(`/api/volumes/${teamB!.name}/restores`, { snapshot: "latest" })).status()).toBe(403);
  expect((await alice.get("/api/admin/users")).status()).toBe(403);
  const foreign = await alice.post("/api/requests", {
    action: "create",
    manifest: { apiVersion: "paas.xlss.io/v1alpha1", kind: "KafkaCluster", metadata: { name: "sneaky", namespace: "team-b" }, spec: {} },
  });
  expect(foreign.status()).toBe(403);
  await aliceCtx.dispose();
});

test("no session gets 401; a cross-site request with a session gets 403", async ({ request, baseURL }) => {
  const { request: fresh } = await import("@playwright/test");
  const anonymous = await fresh.newContext();
  expect((await anonymous.get(`${baseURL}/api/storage`)).status()).toBe(401);
  await anonymous.dispose();
  await apiAs(request, baseURL!, USERS.admin);
  const storage = (await (await request.get(`${baseURL}/api/storage`)).json()) as { volumes: { name: string }[] };
  const res = await request.post(`${baseURL}/api/volumes/${storage.volumes[0]!.name}/backups`, { headers: { origin: "http://evil.example" } });
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad-origin");
});

test("the interface switches to Simplified Chinese and back", async ({ page }) => {
  await signIn(page, USERS.alice);
  await page.goto("/storage");
  await page.getByTestId("locale-switcher").selectOption("zh-CN");
  await expect(page.getByRole("heading", { name: "存储", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "集群", exact: true })).toBeVisible();
  await page.getByTestId("locale-switcher").selectOption("en");
  await expect(page.getByRole("heading", { name: "Storage", exact: true })).toBeVisible();
});
