import fs from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { withGeneratedRules } from "../shared/generated-rules";
import { schemaPaths, valuePaths, type PathSchema } from "../shared/schema-paths";
import { REDIS_CRD_FILE } from "./crd-file";
import { redisForm as form } from "./form";
import { REDIS_SETTINGS, REDIS_SETTINGS_TABLE, MANAGED_REDIS_SETTINGS } from "./settings";
import { defaultedRedisSpec, redisSchema } from "./test-fixtures";
import { DEFAULT_REDIS_VERSION, REDIS_VERSIONS, type RedisClusterSpec, type RedisClusterStatus } from "./types";

// Keeps the RedisCluster types, its CRD schema, its settings table and its form in step.

const text = fs.readFileSync(REDIS_CRD_FILE, "utf8");
const root = parse(text).spec.versions[0].schema.openAPIV3Schema as PathSchema;

const spec: Required<RedisClusterSpec> = {
  version: "7.4.2",
  replicas: 3,
  sentinel: { replicas: 3, downAfterMilliseconds: 5000, failoverTimeoutMilliseconds: 60000, resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } },
  config: {},
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
  storage: { size: "1Gi", class: "xlss-local", claimRetention: { whenDeleted: "Retain", whenScaled: "Retain" } },
  backup: { schedule: "@every 1h", retention: "last=7", enabled: true },
  spreadOverZones: true,
};
const status: Required<RedisClusterStatus> = {
  phase: "Running",
  observedGeneration: 1,
  conditions: [{ type: "Ready", status: "True", reason: "r", message: "m", lastTransitionTime: "t", observedGeneration: 1 }],
  version: "7.4.2",
  replicas: 3,
  readyReplicas: 3,
  selector: "s",
  sentinel: "s",
  endpoints: { sentinel: "s", masterName: "m" },
  members: [{ name: "n", role: "server", id: 0, node: "n", zone: "z", ready: true, version: "7.4.2", upToDate: true }],
};

describe("the RedisCluster CRD", () => {
  it.each([
    ["spec", spec],
    ["status", status],
  ] as const)("%s fields match the TypeScript type", (part, sample) => {
    expect(schemaPaths(root.properties![part]!).sort()).toEqual(valuePaths(sample).sort());
  });

  it("has the spec.config rules generated from the settings table (run operators/write-config-rules.ts)", () => {
    expect(withGeneratedRules(text, REDIS_SETTINGS_TABLE)).toBe(text);
    expect(Object.keys(REDIS_SETTINGS).filter((k) => k in MANAGED_REDIS_SETTINGS)).toEqual([]);
  });

  it("offers the known versions in upgrade order, with the default the types name", () => {
    const version = redisSchema().properties.spec!.properties!.version as { enum: string[]; default: string };
    expect(version.enum).toEqual([...REDIS_VERSIONS]);
    expect(version.default).toBe(DEFAULT_REDIS_VERSION);
  });

  it("defaults an empty spec to three servers watched by three sentinels", () => {
    expect(defaultedRedisSpec({})).toMatchObject({
      version: DEFAULT_REDIS_VERSION,
      replicas: 3,
      sentinel: { replicas: 3, downAfterMilliseconds: 5000, failoverTimeoutMilliseconds: 60000 },
      storage: { size: "5Gi", class: "xlss-local", claimRetention: { whenDeleted: "Retain", whenScaled: "Retain" } },
      spreadOverZones: true,
    });
  });

  it.each(form.fields.map((f) => [f.path, f] as const))("form field %s matches the CRD", (path, field) => {
    const schema = path.split(".").reduce<PathSchema & { default?: unknown; enum?: unknown[]; minimum?: number; maximum?: number } | undefined>((s, p) => s?.properties?.[p], root);
    expect(schema, path).toBeDefined();
    const defaulted = { spec: defaultedRedisSpec({ backup: { schedule: "@every 1h" } }) };
    const value = path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), defaulted);
    if (field.default !== undefined) expect(value).toEqual(field.default);
    if (schema?.enum) expect(field.options).toEqual(schema.enum);
    expect(field.min).toBe(schema?.minimum);
    expect(field.max).toBe(schema?.maximum);
  });
});
