import fs from "node:fs";
import { parse } from "yaml";
import { withSchemaDefaults, type DeepPartial, type DefaultingSchema } from "../shared/schema-defaults";
import { KAFKA_CRD_FILE } from "./crd-file";
import { KAFKA_KIND, type KafkaCluster, type KafkaClusterSpec } from "./types";
import { PAAS_API_VERSION } from "../shared/labels";

// Test fixtures: KafkaClusters as the API server stores them, with the CRD's own defaults.

export type KafkaSpecInput = DeepPartial<KafkaClusterSpec>;

type Schema = DefaultingSchema & { properties: Record<string, DefaultingSchema> };
let schema: Schema | undefined;

/** The openAPIV3Schema of the KafkaCluster CRD (read once). */
export function kafkaSchema(): Schema {
  schema ??= parse(fs.readFileSync(KAFKA_CRD_FILE, "utf8")).spec.versions[0].schema.openAPIV3Schema as Schema;
  return schema;
}

/** A spec as the API server would store `input` (defaults filled in). */
export function defaultedSpec(input: KafkaSpecInput = {}): KafkaClusterSpec {
  return withSchemaDefaults(kafkaSchema().properties.spec!, input) as KafkaClusterSpec;
}

/** A KafkaCluster `name` in `namespace` with `spec` defaulted as stored. */
export function kafkaCluster(spec: KafkaSpecInput = {}, name = "orders", namespace = "team-a"): KafkaCluster {
  return {
    apiVersion: PAAS_API_VERSION,
    kind: KAFKA_KIND,
    metadata: { name, namespace, uid: "3f2c8a1e-5b7d-4c0e-9a6f-1d2e3f4a5b6c", generation: 1 },
    spec: defaultedSpec(spec),
  };
}
