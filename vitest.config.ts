import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);

// Two projects: `unit` for pure logic (no cluster, no database server), `integration` for tests
// against the real local control plane and real PostgreSQL/PGlite, started once per run by the
// global setups below.
export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**", ".next/**", "e2e/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ["node_modules/**", ".next/**"],
          globalSetup: ["test/setup/kubernetes.ts", "test/setup/postgres.ts"],
          // One shared cluster: files run one after another so a test that kills a node cannot
          // disturb another file's pods.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
