import fs from "node:fs";
import { parse } from "yaml";
import { PAAS_API_VERSION } from "../shared/labels";
import { withSchemaDefaults, type DeepPartial, type DefaultingSchema } from "../shared/schema-defaults";
import { REDIS_CRD_FILE } from "./crd-file";
import { REDIS_KIND, type RedisCluster, type RedisClusterSpec } from "./types";

// Test fixtures: RedisClusters as the API server stores them, with the CRD's own defaults.

export type RedisSpecInput = DeepPartial<RedisClusterSpec>;

type Schema = DefaultingSchema & { properties: Record<string, DefaultingSchema> };
let schema: Schema | undefined;

/** The openAPIV3Schema of the RedisCluster CRD (read once). */
export function redisSchema(): Schema {
  schema ??= parse(fs.readFileSync(REDIS_CRD_FILE, "utf8")).spec.versions[0].schema.openAPIV3Schema as Schema;
  return schema;
}

export function defaultedRedisSpec(input: RedisSpecInput = {}): RedisClusterSpec {
  return withSchemaDefaults(redisSchema().properties.spec!, input) as RedisClusterSpec;
}

export function redisCluster(spec: RedisSpecInput = {}, name = "cache", namespace = "team-a"): RedisCluster {
  return {
    apiVersion: PAAS_API_VERSION,
    kind: REDIS_KIND,
    metadata: { name, namespace, uid: "9d1c2b3a-4e5f-4a6b-8c7d-0e1f2a3b4c5d", generation: 1 },
    spec: defaultedRedisSpec(spec),
  };
}
