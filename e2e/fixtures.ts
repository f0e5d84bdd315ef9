import { test as base, type APIRequestContext, type Page } from "@playwright/test";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";
import type { E2EUser } from "./users";

/** Signs in through the sign-in page and waits for the console. */
export async function signIn(page: Page, user: E2EUser): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("whoami").waitFor();
}

/**
 * An HTTP client signed in as `user` through next-auth's own endpoints (CSRF token, credentials
 * callback), for tests of the route handlers without a browser. Mutations send the console's
 * Origin, as a browser on the console's page would.
 */
export async function apiAs(request: APIRequestContext, baseURL: string, user: E2EUser) {
  const { csrfToken } = (await (await request.get(`${baseURL}/api/auth/csrf`)).json()) as { csrfToken: string };
  const res = await request.post(`${baseURL}/api/auth/callback/credentials`, { form: { csrfToken, username: user.username, password: user.password, json: "true" } });
  if (!res.ok()) throw new Error(`sign-in of ${user.username} failed: HTTP ${res.status()}`);
  return {
    get: (path: string) => request.get(`${baseURL}${path}`),
    post: (path: string, data?: unknown) => request.post(`${baseURL}${path}`, { data: data ?? {}, headers: { origin: baseURL } }),
  };
}

/** Playwright's `test` pointed at the console and cluster the global setup started. */
export const test = base.extend<{ kube: KubeClients }>({
  baseURL: async ({}, provide) => {
    await provide(process.env.XLSS_E2E_BASE_URL);
  },
  kube: async ({}, provide) => {
    const file = process.env.XLSS_E2E_KUBECONFIG;
    if (!file) throw new Error("XLSS_E2E_KUBECONFIG unset: run through playwright.config.ts");
    await provide(kubeClients(loadKubeConfig(file)));
  },
});

export { expect } from "@playwright/test";
