// Writes the generated CEL rules of spec.config (config-rules.ts, from the settings table) into the
// KafkaCluster CRD between its BEGIN/END generated markers, leaving the rest of the file untouched.
// Run after changing settings.ts (crd.test.ts fails until you do):
//   npx tsx operators/kafka/write-config-rules.ts
import fs from "node:fs";
import { KAFKA_CRD_FILE } from "./crd-file";
import { withGeneratedRules } from "./generated-rules";

fs.writeFileSync(KAFKA_CRD_FILE, withGeneratedRules(fs.readFileSync(KAFKA_CRD_FILE, "utf8")));
console.log(`wrote the spec.config rules into ${KAFKA_CRD_FILE}`);
