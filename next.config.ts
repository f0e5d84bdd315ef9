import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  // Loaded by Node at run time rather than bundled: PGlite reads its WebAssembly files from its own
  // package folder, and the Kubernetes client and pino use Node-only modules.
  serverExternalPackages: ["@electric-sql/pglite", "@kubernetes/client-node", "pino"],
};

export default config;
