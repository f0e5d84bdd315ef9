import type { Page } from "@playwright/test";
import { apiAs, expect, test } from "./fixtures";
import { OIDC_NAME, OIDC_USERS, USERS } from "./users";

// Sign-in through a real OpenID provider (e2e/oidc-provider: zitadel/oidc's OP with its own login
// page), configured on the console with OIDC_* as an operator would: the authorization-code flow
// with PKCE and state, the ID token's groups mapped to role and teams.

type OidcUser = (typeof OIDC_USERS)[keyof typeof OIDC_USERS];

const issuer = () => {
  const url = process.env.XLSS_E2E_OIDC_ISSUER;
  if (!url) throw new Error("XLSS_E2E_OIDC_ISSUER unset: run through playwright.config.ts");
  return url;
};

/** From the console's sign-in page to the provider's login page and through it. */
async function signInAtProvider(page: Page, user: OidcUser, password: string = user.password) {
  // The provider's own page, on its own address (the console's sign-in page has a Username field too).
  await expect(page).toHaveURL(new RegExp(`^${issuer()}/login/username`));
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Login" }).click();
}

interface AdminOverview {
  users: { username: string; displayName: string; role: string; disabled: boolean; sso: boolean; teams: string[] }[];
}

test("the provider's button leads through its login page into the console, role and team from the groups", async ({ page, request, baseURL }) => {
  await page.goto("/storage");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fstorage/);
  await page.getByRole("button", { name: `Sign in with ${OIDC_NAME}` }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuer()}/login/username\\?authRequestID=`));

  // A wrong password stays at the provider, with its error.
  await signInAtProvider(page, OIDC_USERS.omar, "not-omars-password");
  await expect(page.getByText("username or password wrong")).toBeVisible();
  expect(page.url().startsWith(issuer())).toBe(true);

  await signInAtProvider(page, OIDC_USERS.omar);
  await expect(page).toHaveURL(/\/storage$/);
  await expect(page.getByTestId("whoami")).toHaveText("Omar Haddad (member)");
  // His groups made him a member of team-a (an existing console team), and of nothing else.
  await expect(page.getByTestId("volume-team-a-data-sample-broker-0")).toBeVisible();
  await expect(page.getByTestId("volumes")).not.toContainText("team-b");
  await expect(page.getByRole("link", { name: "Approvals" })).toHaveCount(0);
  // The console account made at the first sign-in: the provider's preferred_username, single sign-on.
  const admin = await apiAs(request, baseURL!, USERS.admin);
  const overview = (await (await admin.get("/api/admin/users")).json()) as AdminOverview;
  expect(overview.users.find((u) => u.username === "omar")).toEqual({ username: "omar", displayName: "Omar Haddad", role: "member", disabled: false, sso: true, teams: ["team-a"] });
});

test("a provider group mapped to approver gives the approver role", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Sign in with ${OIDC_NAME}` }).click();
  await signInAtProvider(page, OIDC_USERS.mei);
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(page.getByTestId("whoami")).toHaveText("Mei Lin (approver)");
  await page.getByRole("link", { name: "Approvals" }).click();
  await expect(page).toHaveURL(/\/approvals$/);
  await expect(page.getByTestId("forbidden")).toHaveCount(0);
});

test("an identity in none of the console's groups is refused on the sign-in page, and no account is made", async ({ page, request, baseURL }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: `Sign in with ${OIDC_NAME}` }).click();
  await signInAtProvider(page, OIDC_USERS.carla);
  await expect(page).toHaveURL(/\/signin\?.*error=AccessDenied/);
  await expect(page.locator("form").getByRole("alert")).toHaveText(/not allowed to use this console/);
  await expect(page.getByTestId("whoami")).toHaveCount(0);
  expect((await page.request.get("/api/storage")).status()).toBe(401);

  // No console account was made for her.
  const admin = await apiAs(request, baseURL!, USERS.admin);
  const overview = (await (await admin.get("/api/admin/users")).json()) as AdminOverview;
  expect(overview.users.map((u) => u.username)).not.toContain("carla");
});
