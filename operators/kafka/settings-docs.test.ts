import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { describeKind } from "../shared/settings";
import { KAFKA_SETTINGS, MANAGED_SETTINGS } from "./settings";

// The API server's message for an unknown setting points at docs/operators.md: the list there must
// be the one the CRD enforces.

const doc = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/operators.md"), "utf8");

it("docs/operators.md lists every accepted setting with its form, and every managed one", () => {
  const rows = new Map([...doc.matchAll(/^\| `([a-z.]+)` \| ([^|]+) \| ([^|]+) \|/gm)].map((m) => [m[1], m[3]!.trim()]));
  for (const [key, setting] of Object.entries(KAFKA_SETTINGS)) expect(rows.get(key), key).toBe(describeKind(setting.kind));
  const managed = new Set([...doc.matchAll(/^\| `([a-z.]+)` \| [^|]+ \|$/gm)].map((m) => m[1]));
  for (const key of Object.keys(MANAGED_SETTINGS)) expect(managed.has(key), key).toBe(true);
});
