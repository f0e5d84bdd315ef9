import fs from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { schemaPaths, valuePaths } from "../shared/schema-paths";
import type { MemberStatus } from "../shared/types";
import { KAFKA_CRD_FILE } from "./crd-file";
import { withGeneratedRules } from "../shared/generated-rules";
import { KAFKA_SETTINGS, KAFKA_SETTINGS_TABLE, MANAGED_SETTINGS } from "./settings";
import { defaultedSpec } from "./test-fixtures";
import { DEFAULT_KAFKA_VERSION, KAFKA_VERSIONS, type KafkaClusterSpec, type KafkaClusterStatus } from "./types";

// Keeps the TypeScript types and the CRD schema in step (as lib/xlss/api/crds.test.ts does for the
// storage kinds): a fully populated object (`Required<>` makes the compiler ask for each field)
// must have exactly the schema's properties.

interface Schema {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  "x-kubernetes-validations"?: { rule: string }[];
}

const text = fs.readFileSync(KAFKA_CRD_FILE, "utf8");
const crd = parse(text);
const root: Schema = crd.spec.versions[0].schema.openAPIV3Schema;
const specSchema = root.properties!.spec!;

const member: Required<MemberStatus> = { name: "n", role: "broker", id: 0, node: "n", zone: "z", ready: true, version: "4.1.1", upToDate: true };
const spec: Required<KafkaClusterSpec> = {
  version: "4.1.1",
  replicas: 3,
  controllers: { mode: "Separate", replicas: 3, resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } }, storage: { size: "1Gi" } },
  replication: { factor: 3, minInSync: 2 },
  listeners: [{ name: "plain", port: 9092, tls: { secretName: "s" } }],
  // A map: its keys are data, not schema properties.
  config: {},
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
  storage: { size: "1Gi", class: "xlss-local", claimRetention: { whenDeleted: "Retain", whenScaled: "Retain" } },
  backup: { schedule: "@every 1h", retention: "last=7", enabled: true },
  rackAwareness: { enabled: true, topologyKey: "topology.kubernetes.io/zone" },
  clusterId: "x",
};
const status: Required<KafkaClusterStatus> = {
  phase: "Running",
  observedGeneration: 1,
  conditions: [{ type: "Ready", status: "True", reason: "r", message: "m", lastTransitionTime: "t", observedGeneration: 1 }],
  clusterId: "x",
  version: "4.1.1",
  replicas: 3,
  readyReplicas: 3,
  selector: "s",
  bootstrapServers: "b",
  endpoints: [{ listener: "plain", bootstrapServers: "b", tls: false }],
  members: [member],
  replication: { factor: 3, minInSync: 2 },
};

describe("the KafkaCluster CRD", () => {
  it.each([
    ["spec", spec],
    ["status", status],
  ] as const)("%s fields match the TypeScript type", (part, sample) => {
    expect(schemaPaths(root.properties![part]!).sort()).toEqual(valuePaths(sample).sort());
  });

  it("has the spec.config rules generated from the settings table (run operators/write-config-rules.ts)", () => {
    expect(withGeneratedRules(text, KAFKA_SETTINGS_TABLE)).toBe(text);
  });

  it("knows no setting both as managed and as user-settable", () => {
    expect(Object.keys(KAFKA_SETTINGS).filter((k) => k in MANAGED_SETTINGS)).toEqual([]);
  });

  it("offers the known versions, in upgrade order, with the default the types name", () => {
    const version = specSchema.properties!.version!;
    expect(version.enum).toEqual([...KAFKA_VERSIONS]);
    expect(version.default).toBe(DEFAULT_KAFKA_VERSION);
    const order = Object.fromEntries(KAFKA_VERSIONS.map((v, i) => [v, i]));
    const literal = `{${Object.entries(order).map(([v, i]) => `'${v}': ${i}`).join(", ")}}`;
    expect(version["x-kubernetes-validations"]?.[0]?.rule).toBe(`${literal}[self] >= ${literal}[oldSelf]`);
  });

  it("defaults an empty spec to a valid three-broker cluster", () => {
    expect(defaultedSpec({})).toMatchObject({
      version: DEFAULT_KAFKA_VERSION,
      replicas: 3,
      controllers: { mode: "Separate", replicas: 3, storage: { size: "2Gi" } },
      replication: { factor: 3, minInSync: 2 },
      listeners: [{ name: "plain", port: 9092 }],
      storage: { size: "10Gi", class: "xlss-local", claimRetention: { whenDeleted: "Retain", whenScaled: "Retain" } },
      rackAwareness: { enabled: true, topologyKey: "topology.kubernetes.io/zone" },
    });
  });
});
