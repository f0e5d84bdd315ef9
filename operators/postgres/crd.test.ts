import fs from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { withGeneratedRules } from "../shared/generated-rules";
import { schemaPaths, valuePaths, type PathSchema } from "../shared/schema-paths";
import { POSTGRES_CRD_FILE } from "./crd-file";
import { postgresForm as form } from "./form";
import { MANAGED_POSTGRES_SETTINGS, POSTGRES_SETTINGS, POSTGRES_SETTINGS_TABLE } from "./settings";
import { defaultedPostgresSpec, postgresSchema } from "./test-fixtures";
import { DEFAULT_POSTGRES_VERSION, POSTGRES_VERSIONS, type PostgresClusterSpec, type PostgresClusterStatus } from "./types";

// Keeps the PostgresCluster types, its CRD schema, its settings table and its form in step.

const text = fs.readFileSync(POSTGRES_CRD_FILE, "utf8");
const crd = parse(text);
const root = crd.spec.versions[0].schema.openAPIV3Schema as PathSchema;

const spec: Required<PostgresClusterSpec> = {
  version: "17.5",
  replicas: 2,
  config: {},
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
  storage: { size: "1Gi", class: "xlss-local", claimRetention: { whenDeleted: "Retain", whenScaled: "Retain" } },
  backup: { schedule: "@every 1h", retention: "last=7", enabled: true },
  spreadOverZones: true,
};
const status: Required<PostgresClusterStatus> = {
  phase: "Running",
  observedGeneration: 1,
  conditions: [{ type: "Ready", status: "True", reason: "r", message: "m", lastTransitionTime: "t", observedGeneration: 1 }],
  version: "17.5",
  replicas: 2,
  readyReplicas: 2,
  selector: "s",
  primary: "p",
  endpoints: { primary: "p", readOnly: "r" },
  credentialsSecret: "s",
  members: [{ name: "n", role: "primary", id: 0, node: "n", zone: "z", ready: true, version: "17.5", upToDate: true }],
};

describe("the PostgresCluster CRD", () => {
  it.each([
    ["spec", spec],
    ["status", status],
  ] as const)("%s fields match the TypeScript type", (part, sample) => {
    expect(schemaPaths(root.properties![part]!).sort()).toEqual(valuePaths(sample).sort());
  });

  it("has the spec.config rules generated from the settings table (run operators/write-config-rules.ts)", () => {
    expect(withGeneratedRules(text, POSTGRES_SETTINGS_TABLE)).toBe(text);
    expect(Object.keys(POSTGRES_SETTINGS).filter((k) => k in MANAGED_POSTGRES_SETTINGS)).toEqual([]);
  });

  it("offers the known versions in update order, with the default the types name, in the forward-only rule too", () => {
    const version = postgresSchema().properties.spec!.properties!.version as { enum: string[]; default: string; "x-kubernetes-validations": { rule: string }[] };
    expect(version.enum).toEqual([...POSTGRES_VERSIONS]);
    expect(version.default).toBe(DEFAULT_POSTGRES_VERSION);
    const order = `{${POSTGRES_VERSIONS.map((v, i) => `'${v}': ${i}`).join(", ")}}`;
    expect(version["x-kubernetes-validations"].map((r) => r.rule)).toContain(`${order}[self] >= ${order}[oldSelf]`);
  });

  it("is reached as pg, with the scale subresource on spec.replicas", () => {
    expect(crd.spec.names.shortNames).toEqual(["pg"]);
    expect(crd.spec.versions[0].subresources.scale).toEqual({ specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: ".status.selector" });
  });

  it("defaults an empty spec to a primary and one replica on 10Gi xlss-local volumes", () => {
    expect(defaultedPostgresSpec({})).toMatchObject({
      version: DEFAULT_POSTGRES_VERSION,
      replicas: 2,
      config: {},
      resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1Gi" } },
      storage: { size: "10Gi", class: "xlss-local", claimRetention: { whenDeleted: "Retain", whenScaled: "Retain" } },
      spreadOverZones: true,
    });
  });

  it.each(form.fields.map((f) => [f.path, f] as const))("form field %s matches the CRD", (path, field) => {
    const schema = path.split(".").reduce<(PathSchema & { default?: unknown; enum?: unknown[]; minimum?: number; maximum?: number }) | undefined>((s, p) => s?.properties?.[p], root);
    expect(schema, path).toBeDefined();
    const defaulted = { spec: defaultedPostgresSpec({ backup: { schedule: "@every 1h" } }) };
    const value = path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), defaulted);
    if (field.default !== undefined) expect(value).toEqual(field.default);
    if (schema?.enum) expect(field.options).toEqual(schema.enum);
    expect(field.min).toBe(schema?.minimum);
    expect(field.max).toBe(schema?.maximum);
  });
});
