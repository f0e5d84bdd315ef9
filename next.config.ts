import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const config: NextConfig = {
  poweredByHeader: false,
  // No generated AGENTS.md in the work tree on `next dev`.
  agentRules: false,
  experimental: { agentUpgrade: false },
  // Loaded by Node at run time rather than bundled: PGlite reads its WebAssembly files from its own
  // package folder, the Kubernetes client and pino use Node-only modules, and argon2 is a native
  // addon.
  serverExternalPackages: ["@electric-sql/pglite", "@kubernetes/client-node", "pino", "@node-rs/argon2"],
};

// The interface language per request (i18n/request.ts).
export default createNextIntlPlugin("./i18n/request.ts")(config);
