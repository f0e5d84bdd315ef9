import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type {
  XlssBackupSpec,
  XlssBackupStatus,
  XlssFailoverSpec,
  XlssFailoverStatus,
  XlssRestoreSpec,
  XlssRestoreStatus,
  XlssStoragePoolSpec,
  XlssStoragePoolStatus,
  XlssVolumeSpec,
  XlssVolumeStatus,
} from "./types";

// Keeps the TypeScript types and the CRD schemas (charts/xlss/crds) in step: every field of a fully
// populated object (`Required<>` makes the compiler demand each one) must be in the schema, and every
// schema property must be in the object.

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
}

function crdSchema(file: string): Schema {
  const crd = parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../../../charts/xlss/crds", file), "utf8"));
  return crd.spec.versions[0].schema.openAPIV3Schema;
}

function paths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => paths(v, prefix ? `${prefix}.${k}` : k));
}

function schemaPaths(schema: Schema, prefix = ""): string[] {
  if (!schema.properties) return [prefix];
  return Object.entries(schema.properties).flatMap(([k, v]) => schemaPaths(v, prefix ? `${prefix}.${k}` : k));
}

const volumeSpec: Required<XlssVolumeSpec> = {
  nodeName: "n",
  capacity: "1Gi",
  claimRef: { namespace: "a", name: "b", uid: "c" },
  storageClassName: "xlss-local",
  reclaimPolicy: "Delete",
  movedTo: { node: "n", failover: "a/f", time: "t" },
};
const volumeStatus: Required<XlssVolumeStatus> = {
  phase: "Ready",
  path: "/p",
  usedBytes: 1,
  lastMeasured: "t",
  message: "m",
  observedGeneration: 1,
  quarantinedUntil: "t",
};
const poolSpec: Required<XlssStoragePoolSpec> = { capacity: "1Ti", reserve: "1Gi" };
const poolStatus: Required<XlssStoragePoolStatus> = {
  rootPath: "/r",
  filesystemBytes: 1,
  filesystemFreeBytes: 1,
  capacityBytes: 1,
  allocatedBytes: 1,
  usedBytes: 1,
  volumes: 1,
  lastUpdate: "t",
  message: "m",
};

const backupSpec: Required<XlssBackupSpec> = { claimName: "c", trigger: "Manual" };
const backupStatus: Required<XlssBackupStatus> = {
  phase: "Completed",
  node: "n",
  volumeName: "v",
  pod: "p",
  snapshotId: "s",
  snapshotShortId: "s",
  parentSnapshotId: "s",
  startTime: "t",
  completionTime: "t",
  durationSeconds: 1,
  bytesAdded: 1,
  bytesProcessed: 1,
  filesNew: 1,
  filesChanged: 1,
  totalFiles: 1,
  message: "m",
};
const restoreSpec: Required<XlssRestoreSpec> = { claimName: "c", snapshot: "latest", targetVolume: "v", force: false };
const restoreStatus: Required<XlssRestoreStatus> = {
  phase: "Completed",
  node: "n",
  snapshotId: "s",
  snapshotShortId: "s",
  snapshotTime: "t",
  percent: 100,
  bytesRestored: 1,
  totalBytes: 1,
  filesRestored: 1,
  totalFiles: 1,
  startTime: "t",
  completionTime: "t",
  durationSeconds: 1,
  message: "m",
};

const failoverSpec: Required<XlssFailoverSpec> = { podName: "p", failedNode: "n" };
const failoverStatus: Required<XlssFailoverStatus> = {
  phase: "Completed",
  reason: "r",
  newNode: "n",
  claims: [],
  stages: [],
  rpoSeconds: 1,
  totalSeconds: 1,
  message: "m",
};

describe.each([
  { file: "storage.xlss.io_xlssbackups.yaml", spec: backupSpec, status: backupStatus },
  { file: "storage.xlss.io_xlssrestores.yaml", spec: restoreSpec, status: restoreStatus },
  { file: "storage.xlss.io_xlssvolumes.yaml", spec: volumeSpec, status: volumeStatus },
  { file: "storage.xlss.io_xlssstoragepools.yaml", spec: poolSpec, status: poolStatus },
  { file: "storage.xlss.io_xlssfailovers.yaml", spec: failoverSpec, status: failoverStatus },
])("$file", ({ file, spec, status }) => {
  const schema = crdSchema(file);
  it.each([
    ["spec", spec],
    ["status", status],
  ] as const)("%s fields match the TypeScript type", (part, sample) => {
    expect(schemaPaths(schema.properties?.[part] ?? {}).sort()).toEqual(paths(sample).sort());
  });
});
