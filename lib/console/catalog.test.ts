import { describe, expect, it } from "vitest";
import { middlewareKinds, type KindOptions } from "@/operators/kinds";
import { CATALOG, catalogKind } from "./catalog";
import { defaultValues, formSchema, manifestFromForm, valuesFromObject } from "./form-schema";

describe("catalog", () => {
  it("offers every kind the operators run, with their own forms", () => {
    // Only the forms are read: no controller is set up, so no options are needed.
    const kinds = middlewareKinds({} as KindOptions);
    expect(CATALOG.map((f) => f.kind), "add the new kind's form to CATALOG in lib/console/catalog.ts").toEqual(kinds.map((k) => k.form.kind));
    expect(catalogKind("kafkaclusters")?.kind).toBe("KafkaCluster");
  });
});

describe("form schema (KafkaCluster)", () => {
  const form = catalogKind("KafkaCluster")!;
  const schema = formSchema(form, ["team-a"]);
  const valid = { name: "orders", namespace: "team-a", values: defaultValues(form) };

  it("accepts the defaults", () => {
    expect(schema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ["a broker count of 0", { ...valid, values: { ...valid.values, "spec.replicas": 0 } }, "spec.replicas", "at least 1"],
    ["a size that is no quantity", { ...valid, values: { ...valid.values, "spec.storage.size": "ten gigs" } }, "spec.storage.size", "quantity"],
    ["an unknown version", { ...valid, values: { ...valid.values, "spec.version": "1.0" } }, "spec.version", "one of"],
    ["an unknown setting", { ...valid, values: { ...valid.values, "spec.config": { "no.such.setting": 1 } } }, "spec.config.no.such.setting", "not a setting"],
    ["a name with capitals", { ...valid, name: "Orders" }, "name", "lower-case"],
    ["another team's namespace", { ...valid, namespace: "team-b" }, "namespace", "not one of your team"],
  ])("refuses %s", (_, input, path, message) => {
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((i) => i.path.join(".").includes(path.split(".").slice(-1)[0]!));
    expect(issue?.message).toContain(message);
  });

  it("makes the custom resource from the values, leaving empty and default fields to the API server, and reads them back", () => {
    const values = { ...valid.values, "spec.replicas": 5, "spec.storage.size": "100Gi", "spec.backup.schedule": "", "spec.config": { "num.partitions": 6 } };
    const manifest = manifestFromForm(form, { ...valid, values });
    expect(manifest).toEqual({
      apiVersion: "paas.xlss.io/v1alpha1",
      kind: "KafkaCluster",
      metadata: { name: "orders", namespace: "team-a" },
      spec: { replicas: 5, storage: { size: "100Gi" }, config: { "num.partitions": 6 } },
    });
    expect(valuesFromObject(form, manifest)["spec.replicas"]).toBe(5);
  });
});
