// Bundles each Node.js component into one ES module under dist/ (esbuild, which tsx already
// brings): the images run `node dist/<component>.mjs`, with no TypeScript loader and no
// node_modules. Usage: node images/bundle.mjs [outdir]
import path from "node:path";
import { build } from "esbuild";

const outdir = path.resolve(process.argv[2] ?? "dist");
const entries = {
  "xlss-provisioner": "lib/xlss/provisioner/main.ts",
  "xlss-scheduler": "lib/xlss/scheduler/main.ts",
  "xlss-rescuer": "lib/xlss/rescuer/main.ts",
  "xlss-operators": "operators/main.ts",
};
await build({
  entryPoints: entries,
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  // Optional native speed-ups of the websocket library, loaded only if present.
  external: ["bufferutil", "utf-8-validate"],
  // Bundled CommonJS packages call require(); give ES modules one.
  banner: { js: 'import { createRequire as __xlssCreateRequire } from "node:module"; const require = __xlssCreateRequire(import.meta.url);' },
});
console.log(`bundled ${Object.keys(entries).join(", ")} into ${outdir}`);
