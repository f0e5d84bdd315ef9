import type { TestProject } from "vitest/node";
import { startPostgres } from "../postgres-server";

/**
 * Global setup: a throwaway PostgreSQL server on 127.0.0.1 for the database tests that run on a
 * real server (the others use PGlite). `XLSS_TEST_DATABASE_URL` reuses a server instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const existing = process.env.XLSS_TEST_DATABASE_URL;
  if (existing) {
    project.provide("databaseUrl", existing);
    return async () => {};
  }
  const server = await startPostgres();
  project.provide("databaseUrl", server.url);
  return server.stop;
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
