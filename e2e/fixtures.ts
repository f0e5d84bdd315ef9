import { test as base } from "@playwright/test";
import { kubeClients, loadKubeConfig, type KubeClients } from "../lib/k8s/client";

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
