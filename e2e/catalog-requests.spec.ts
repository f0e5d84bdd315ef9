import { expect, apiAs, signIn, test } from "./fixtures";
import { USERS } from "./users";

test("invalid form values, invalid YAML and the API server's own refusals show clear errors", async ({ page }) => {
  await signIn(page, USERS.alice);
  await page.goto("/catalog");
  await page.getByTestId("request-kafkaclusters").click();
  await page.getByLabel("Name", { exact: true }).fill("Bad Name");
  await page.getByLabel("Brokers").fill("0");
  await expect(page.getByTestId("error-name")).toContainText("lower-case letters");
  await expect(page.getByTestId("error-spec.replicas")).toContainText("at least 1");
  await page.getByTestId("submit-request").click();
  await expect(page.getByTestId("form-invalid")).toBeVisible();
  await expect(page).toHaveURL(/\/catalog\/kafkaclusters$/);

  // Valid for the form, refused by the CRD's rule: more copies than brokers.
  await page.getByLabel("Name", { exact: true }).fill("tiny");
  await page.getByLabel("Brokers").fill("1");
  await page.getByTestId("dry-run").click();
  await expect(page.getByTestId("dry-run-errors")).toContainText("spec.replication.factor cannot exceed spec.replicas");

  // The YAML tab shows the exact resource; broken YAML is caught before anything is sent.
  await page.getByRole("tab", { name: "YAML" }).click();
  const editor = page.getByTestId("yaml-editor");
  await expect(editor).toHaveValue(/kind: KafkaCluster/);
  await expect(editor).toHaveValue(/name: tiny/);
  await editor.fill("apiVersion: paas.xlss.io/v1alpha1\nkind: KafkaCluster\nspec: [unclosed");
  await expect(page.getByTestId("yaml-error")).toContainText("Invalid YAML");
  await expect(page.getByTestId("submit-request")).toBeDisabled();
  // Valid YAML with a setting the CRD refuses: the API server's message, inline.
  await editor.fill("apiVersion: paas.xlss.io/v1alpha1\nkind: KafkaCluster\nmetadata: {name: tiny, namespace: team-a}\nspec:\n  replicas: 3\n  config: {no.such.setting: 1}\n");
  await page.getByTestId("submit-request").click();
  await expect(page.getByTestId("submit-error")).toContainText("no.such.setting");
});

test("request → an approver approves → the cluster is created and becomes Ready; a second approval gets 409", async ({ page, browser, request, baseURL }) => {
  test.setTimeout(240_000);
  await signIn(page, USERS.alice);
  await page.goto("/catalog/kafkaclusters");
  await page.getByLabel("Name", { exact: true }).fill("orders");
  await page.getByLabel("CPU per broker").fill("500m");
  await page.getByLabel("Memory per broker").fill("1Gi");
  await page.getByLabel("Comment for the approver (optional)").fill("for the orders service");
  await page.getByTestId("dry-run").click();
  await expect(page.getByTestId("dry-run-ok")).toBeVisible();
  await page.getByTestId("submit-request").click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  const id = Number(page.url().split("/").pop());
  await expect(page.getByTestId("request-status")).toHaveText("pending");
  await expect(page.getByTestId("request-diff")).toContainText("cpu: 500m");

  const approverContext = await browser.newContext({ baseURL });
  const approver = await approverContext.newPage();
  await signIn(approver, USERS.approver);
  await approver.goto("/approvals");
  const item = approver.getByTestId(`approval-${id}`);
  await expect(item).toContainText("for the orders service");
  await expect(approver.getByTestId(`diff-${id}`)).toContainText("+   replicas: 3");
  await approver.getByTestId(`decision-comment-${id}`).fill("looks good");
  await approver.getByTestId(`approve-${id}`).click();
  await expect(approver.getByTestId("approvals-empty")).toBeVisible();
  await approverContext.close();

  // The decision was taken once: a second approval is refused with who decided.
  const admin = await apiAs(request, baseURL!, USERS.admin);
  const again = await admin.post(`/api/requests/${id}/decision`, { approve: true });
  expect(again.status()).toBe(409);
  expect(((await again.json()) as { error: { message: string } }).error.message).toContain("victor");

  await page.reload();
  await expect(page.getByTestId("request-status")).toHaveText("applied");
  await expect(page.getByTestId("comments")).toContainText("looks good");
  await page.getByTestId("cluster-link").click();
  await expect(page.getByTestId("cluster-phase")).toHaveText("Running", { timeout: 150_000 });
  await expect(page.getByTestId("members")).toContainText("orders-broker-2");
  await expect(page.getByTestId("endpoints")).toContainText("orders-bootstrap.team-a.svc:9092");

  // Its brokers' volumes appear on the storage page; bob (team-b) sees neither.
  await page.goto("/storage");
  await expect(page.getByTestId("volume-team-a-data-orders-broker-0")).toBeVisible({ timeout: 60_000 });
  const { request: fresh } = await import("@playwright/test");
  const bobCtx = await fresh.newContext();
  const bob = await apiAs(bobCtx, baseURL!, USERS.bob);
  const clusters = (await (await bob.get("/api/clusters")).json()) as unknown[];
  expect(clusters).toEqual([]);
  expect((await bob.get(`/api/requests/${id}`)).status()).toBe(404);
  await bobCtx.dispose();
});

test("the auto-approve policy applies a single-broker cluster in team-b at once, and leaves larger ones to approvers", async ({ request, baseURL, kube }) => {
  const bob = await apiAs(request, baseURL!, USERS.bob);
  const manifest = (name: string, replicas: number) => ({
    apiVersion: "paas.xlss.io/v1alpha1",
    kind: "KafkaCluster",
    metadata: { name, namespace: "team-b" },
    spec: { replicas, replication: { factor: 1, minInSync: 1 }, controllers: { mode: "Combined", replicas: 1 }, resources: { requests: { cpu: "250m", memory: "1Gi" } } },
  });
  const small = await bob.post("/api/requests", { action: "create", manifest: manifest("scratch", 1) });
  expect(small.status(), await small.text()).toBe(201);
  const smallView = (await small.json()) as { status: string; decidedBy: string; autoApproved: boolean };
  expect(smallView).toMatchObject({ status: "applied", decidedBy: "auto-approve policy", autoApproved: true });
  const created = await kube.custom.getNamespacedCustomObject({ group: "paas.xlss.io", version: "v1alpha1", plural: "kafkaclusters", namespace: "team-b", name: "scratch" });
  expect((created as { metadata: { managedFields: { manager: string }[] } }).metadata.managedFields.map((f) => f.manager)).toContain("xlss-console");

  const large = await bob.post("/api/requests", { action: "create", manifest: manifest("bigger", 2) });
  expect(((await large.json()) as { status: string }).status).toBe("pending");
});
