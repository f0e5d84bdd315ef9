import fs from "node:fs";
import { parse } from "yaml";
import { PAAS_API_VERSION } from "../shared/labels";
import { withSchemaDefaults, type DeepPartial, type DefaultingSchema } from "../shared/schema-defaults";
import { POSTGRES_CRD_FILE } from "./crd-file";
import { POSTGRES_KIND, type PostgresCluster, type PostgresClusterSpec } from "./types";

// Test fixtures: PostgresClusters as the API server stores them, with the CRD's own defaults.

export type PostgresSpecInput = DeepPartial<PostgresClusterSpec>;

type Schema = DefaultingSchema & { properties: Record<string, DefaultingSchema> };
let schema: Schema | undefined;

/** The openAPIV3Schema of the PostgresCluster CRD (read once). */
export function postgresSchema(): Schema {
  schema ??= parse(fs.readFileSync(POSTGRES_CRD_FILE, "utf8")).spec.versions[0].schema.openAPIV3Schema as Schema;
  return schema;
}

export function defaultedPostgresSpec(input: PostgresSpecInput = {}): PostgresClusterSpec {
  return withSchemaDefaults(postgresSchema().properties.spec!, input) as PostgresClusterSpec;
}

export function postgresCluster(spec: PostgresSpecInput = {}, name = "db", namespace = "team-a"): PostgresCluster {
  return {
    apiVersion: PAAS_API_VERSION,
    kind: POSTGRES_KIND,
    metadata: { name, namespace, uid: "3f2a1b0c-5d6e-4f70-8a9b-0c1d2e3f4a5b", generation: 1 },
    spec: defaultedPostgresSpec(spec),
  };
}
