import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KAFKA_SETTINGS_TABLE } from "./kafka/settings";
import { POSTGRES_SETTINGS_TABLE } from "./postgres/settings";
import { REDIS_SETTINGS_TABLE } from "./redis/settings";
import { describeKind } from "./shared/settings";

// The API server's message for an unknown setting points at docs/operators.md: the lists there
// must be the ones the CRDs enforce.

const doc = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../docs/operators.md"), "utf8");
const rows = doc.split("\n").filter((l) => l.startsWith("| `"));

describe.each([KAFKA_SETTINGS_TABLE, REDIS_SETTINGS_TABLE, POSTGRES_SETTINGS_TABLE])("docs/operators.md for $product", (table) => {
  it("lists every accepted setting with the form of its value, and every managed one", () => {
    for (const [key, setting] of Object.entries(table.known)) {
      expect(rows.some((r) => r.startsWith(`| \`${key}\` |`) && r.includes(`| ${describeKind(setting.kind)} |`)), key).toBe(true);
    }
    for (const [key, from] of Object.entries(table.managed)) expect(rows.some((r) => r === `| \`${key}\` | ${from} |`), key).toBe(true);
  });
});
