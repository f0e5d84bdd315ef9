// Writes each kind's generated spec.config CEL rules (shared/config-rules.ts, from the kind's
// settings table) into its CRD between the BEGIN/END generated markers, leaving the rest of the
// file untouched. Run after changing a settings table (each kind's crd.test.ts fails until you do):
//   npx tsx operators/write-config-rules.ts
import fs from "node:fs";
import { KAFKA_CRD_FILE } from "./kafka/crd-file";
import { KAFKA_SETTINGS_TABLE } from "./kafka/settings";
import { POSTGRES_CRD_FILE } from "./postgres/crd-file";
import { POSTGRES_SETTINGS_TABLE } from "./postgres/settings";
import { REDIS_CRD_FILE } from "./redis/crd-file";
import { REDIS_SETTINGS_TABLE } from "./redis/settings";
import { withGeneratedRules } from "./shared/generated-rules";
import type { SettingsTable } from "./shared/settings";

const kinds: [string, SettingsTable][] = [
  [KAFKA_CRD_FILE, KAFKA_SETTINGS_TABLE],
  [REDIS_CRD_FILE, REDIS_SETTINGS_TABLE],
  [POSTGRES_CRD_FILE, POSTGRES_SETTINGS_TABLE],
];
for (const [file, table] of kinds) {
  fs.writeFileSync(file, withGeneratedRules(fs.readFileSync(file, "utf8"), table));
  console.log(`wrote the spec.config rules into ${file}`);
}
