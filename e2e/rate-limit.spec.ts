import { request as playwrightRequest } from "@playwright/test";
import { expect, test } from "./fixtures";
import { USERS } from "./users";

// Failed password sign-ins are counted per username in the database (sign_in_failures): the fifth
// within 15 minutes locks the username for 15 minutes, even for the right password; a successful
// sign-in resets the count. The console runs with the defaults.

/** One password sign-in through next-auth's credentials endpoint, as the sign-in form posts it: the error code, or undefined on success. */
async function attempt(baseURL: string, username: string, password: string): Promise<string | undefined> {
  const ctx = await playwrightRequest.newContext();
  try {
    const { csrfToken } = (await (await ctx.get(`${baseURL}/api/auth/csrf`)).json()) as { csrfToken: string };
    const res = await ctx.post(`${baseURL}/api/auth/callback/credentials`, { form: { csrfToken, username, password, json: "true" } });
    const { url } = (await res.json()) as { url: string };
    const error = new URL(url).searchParams.get("error") ?? undefined;
    expect(res.ok(), `HTTP ${res.status()} with error ${error}`).toBe(error === undefined);
    return error;
  } finally {
    await ctx.dispose();
  }
}

test("the fifth wrong password locks the username, the right one is then refused too, with the wait shown in both languages", async ({ page, baseURL }) => {
  const lena = USERS.lena;
  await page.goto("/signin");
  await page.getByLabel("Username").fill(lena.username);
  for (let i = 1; i <= 4; i++) {
    await page.getByLabel("Password").fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong username or password, or the account is disabled.");
  }
  await page.getByLabel("Password").fill("wrong-password-5");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Too many attempts, try again in 15 minutes.");

  // Locked: the right password is refused as well, and the username is kept in the form.
  await page.getByLabel("Password").fill(lena.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(/^Too many attempts, try again in \d+ minutes\.$/);
  await expect(page.getByLabel("Username")).toHaveValue(lena.username);
  await expect(page.getByTestId("whoami")).toHaveCount(0);

  await page.getByTestId("locale-switcher").selectOption("zh-CN");
  await page.getByLabel("用户名").fill(lena.username);
  await page.getByLabel("密码").fill(lena.password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(/^尝试次数过多，请 \d+ 分钟后再试。$/);

  // The same at the HTTP level: the lock holds across requests and clients.
  expect(await attempt(baseURL!, lena.username, lena.password)).toMatch(/^TooManyAttempts:\d+$/);
  // Other usernames are not affected.
  expect(await attempt(baseURL!, USERS.alice.username, USERS.alice.password)).toBeUndefined();
});

test("a successful sign-in resets the count", async ({ baseURL }) => {
  const ravi = USERS.ravi;
  for (let i = 0; i < 4; i++) expect(await attempt(baseURL!, ravi.username, `wrong-${i}`)).toBe("CredentialsSignin");
  expect(await attempt(baseURL!, ravi.username, ravi.password)).toBeUndefined();
  // Counting starts again: four more failures are still plain failures, the fifth locks.
  for (let i = 0; i < 4; i++) expect(await attempt(baseURL!, ravi.username, `wrong-again-${i}`)).toBe("CredentialsSignin");
  expect(await attempt(baseURL!, ravi.username, "wrong-again-5")).toBe("TooManyAttempts:15");
});

test("unknown usernames are counted and locked alike, saying nothing about which accounts exist", async ({ baseURL }) => {
  for (let i = 0; i < 4; i++) expect(await attempt(baseURL!, "nobody-here", `guess-${i}`)).toBe("CredentialsSignin");
  expect(await attempt(baseURL!, "nobody-here", "guess-5")).toBe("TooManyAttempts:15");
});
