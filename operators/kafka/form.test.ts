import { describe, expect, it } from "vitest";
import { kafkaForm } from "./form";
import { KAFKA_SETTINGS } from "./settings";
import { defaultedSpec, kafkaSchema } from "./test-fixtures";

// The form must offer exactly what the API server accepts: every field exists in the CRD, and its
// default, options and bounds are the schema's.

interface Schema {
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
}

function schemaAt(path: string): Schema | undefined {
  let s: Schema | undefined = kafkaSchema() as Schema;
  for (const part of path.split(".")) s = s?.properties?.[part];
  return s;
}

function valueAt(obj: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

describe("the KafkaCluster form", () => {
  it.each(kafkaForm.fields.map((f) => [f.path, f] as const))("%s matches the CRD", (path, field) => {
    const schema = schemaAt(path);
    expect(schema, `${path} in the CRD`).toBeDefined();
    // spec.backup has no default of its own: its fields default once a schedule is given.
    if (field.default !== undefined) expect(valueAt({ spec: defaultedSpec({ backup: { schedule: "@every 1h" } }) }, path)).toEqual(field.default);
    if (schema?.enum) expect(field.options).toEqual(schema.enum);
    expect(field.min).toBe(schema?.minimum);
    expect(field.max).toBe(schema?.maximum);
  });

  it("lists every accepted Kafka setting for the config editor", () => {
    const config = kafkaForm.fields.find((f) => f.type === "settings");
    expect(Object.keys(config?.settings ?? {}).sort()).toEqual(Object.keys(KAFKA_SETTINGS).sort());
  });
});
