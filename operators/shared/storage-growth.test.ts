import fs from "node:fs";
import type { CoreV1Event, V1PersistentVolumeClaim, V1StatefulSet } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KAFKA_CRD_FILE } from "../kafka/crd-file";
import { POSTGRES_CRD_FILE } from "../postgres/crd-file";
import { REDIS_CRD_FILE } from "../redis/crd-file";
import { clusterConditions } from "./cluster-status";
import type { Member } from "./members";
import { claimGrowth, claimsOf, grownTemplates, growthStatus, needsRaise, RESIZE_REQUESTED_AT, soonest } from "./storage-growth";

const claim = (name: string, over: { request?: string; capacity?: string; phase?: string; requestedAt?: string; status?: V1PersistentVolumeClaim["status"] } = {}): V1PersistentVolumeClaim => ({
  metadata: { name, namespace: "ns", uid: `uid-${name}`, ...(over.requestedAt ? { annotations: { [RESIZE_REQUESTED_AT]: over.requestedAt } } : {}) },
  spec: { resources: { requests: { storage: over.request ?? "1Gi" } } },
  status: { phase: over.phase ?? "Bound", ...(over.capacity !== undefined ? { capacity: { storage: over.capacity } } : {}), ...over.status },
});
const sts = (size: string): V1StatefulSet => ({
  metadata: { name: "orders-broker" },
  spec: {
    selector: {},
    serviceName: "h",
    template: {},
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: size } } } }],
  },
});
const failedEvent = (name: string, at: string, message: string): CoreV1Event => ({
  metadata: { name: `${name}.1` },
  involvedObject: { kind: "PersistentVolumeClaim", name, uid: `uid-${name}` },
  reason: "VolumeResizeFailed",
  message,
  lastTimestamp: new Date(at),
});

describe("which claims grow", () => {
  it("takes <template>-<sts>-<ordinal> claims, retained ones of scaled-down ordinals too, and nothing that only starts alike", () => {
    const all = ["data-orders-broker-0", "data-orders-broker-2", "data-orders-broker-10", "data-orders-broker-x", "data-orders-broker-01", "data-orders-broker-extra-0", "logs-orders-broker-0", "data-orders-controller-0"].map((n) =>
      claim(n),
    );
    expect(claimsOf(all, "data", "orders-broker").map((c) => c.metadata?.name)).toEqual(["data-orders-broker-0", "data-orders-broker-2", "data-orders-broker-10"]);
  });

  it("raises bound claims whose request is below the size, comparing quantities", () => {
    expect(needsRaise(claim("a", { request: "1Gi" }), "3Gi")).toBe(true);
    expect(needsRaise(claim("a", { request: "3072Mi" }), "3Gi")).toBe(false);
    expect(needsRaise(claim("a", { request: "4Gi" }), "3Gi")).toBe(false);
    expect(needsRaise(claim("a", { request: "1Gi", phase: "Pending" }), "3Gi")).toBe(false);
  });

  it("finds the templates to grow by comparing the StatefulSet's template with the desired one", () => {
    expect(grownTemplates(sts("3Gi"), sts("1Gi"))).toEqual([{ template: "data", size: "3Gi", from: "1Gi" }]);
    expect(grownTemplates(sts("1024Mi"), sts("1Gi"))).toEqual([]);
    expect(grownTemplates(sts("3Gi"), undefined)).toEqual([]);
  });
});

describe("how a claim is doing", () => {
  it("is done once its capacity reaches the size", () => {
    expect(claimGrowth(claim("c", { capacity: "3Gi" }), "3Gi", [])).toMatchObject({ done: true });
    expect(claimGrowth(claim("c", { capacity: "1Gi" }), "3Gi", [])).toEqual({ name: "c", capacity: "1Gi", done: false });
  });

  it("failed on a VolumeResizeFailed Event about it since the request, not on an older one", () => {
    const c = claim("c", { capacity: "1Gi", requestedAt: "2026-12-04T10:00:00.500Z" });
    const old = failedEvent("c", "2026-12-04T09:00:00Z", "earlier");
    const now = failedEvent("c", "2026-12-04T10:00:00Z", "node n1 has 512Mi free, 2Gi more needed");
    const other = failedEvent("d", "2026-12-04T11:00:00Z", "another claim");
    expect(claimGrowth(c, "3Gi", [old, other]).failed).toBeUndefined();
    expect(claimGrowth(c, "3Gi", [old, now, other]).failed).toBe("node n1 has 512Mi free, 2Gi more needed");
  });

  it("failed when the API server's resize status says infeasible", () => {
    const c = claim("c", {
      capacity: "1Gi",
      status: {
        allocatedResourceStatuses: { storage: "ControllerResizeInfeasible" },
        conditions: [{ type: "ControllerResizeError", status: "True", message: "no room on node n1" }],
      },
    });
    expect(claimGrowth(c, "3Gi", []).failed).toBe("no room on node n1");
  });
});

describe("the growth in the status", () => {
  it("says how many volumes of which StatefulSet grow from what to what", () => {
    const claims = [
      { name: "a", capacity: "3Gi", done: true },
      { name: "b", capacity: "1Gi", done: false },
      { name: "c", capacity: "1Gi", done: false },
    ];
    expect(growthStatus([{ statefulSet: "orders-broker", size: "3Gi", claims }])).toEqual({ progressing: "growing 3 volumes of orders-broker from 1Gi to 3Gi: 1 done" });
    expect(growthStatus([{ statefulSet: "orders-broker", size: "3Gi", claims: claims.map((c) => ({ ...c, done: true })) }])).toEqual({});
    // A StatefulSet deleted to be created again keeps the cluster progressing, volumes grown or not.
    expect(growthStatus([{ statefulSet: "orders-broker", size: "3Gi", claims: claims.map((c) => ({ ...c, done: true })) }], ["orders-broker"])).toEqual({
      progressing: "re-creating StatefulSet orders-broker with the larger volumes (pods keep running)",
    });
    expect(growthStatus([{ statefulSet: "orders-broker", size: "3Gi", claims }], ["orders-controller"]).progressing).toBe(
      "growing 3 volumes of orders-broker from 1Gi to 3Gi: 1 done; re-creating StatefulSet orders-controller with the larger volumes (pods keep running)",
    );
    expect(
      growthStatus([
        { statefulSet: "orders-controller", size: "2Gi", claims: [{ name: "x", capacity: "1Gi", done: false, failed: "no room" }] },
        { statefulSet: "orders-broker", size: "3Gi", claims },
      ]),
    ).toEqual({
      progressing: "growing 1 volume of orders-controller from 1Gi to 2Gi: 0 done; growing 3 volumes of orders-broker from 1Gi to 3Gi: 1 done",
      failed: "x could not grow to 2Gi: no room",
    });
  });

  it("makes the cluster Progressing/Resizing while volumes grow, and Degraded when one cannot", () => {
    const member = { name: "m-0", role: "server", ready: true, upToDate: true, group: 0, ordinal: 0, present: true, terminating: false, templateObserved: true } as Member;
    const base = {
      generation: 2,
      previous: { phase: "Running" },
      members: [member],
      roll: { action: "none" } as const,
      readiness: "1/1 ready",
      change: { what: "x", upgrading: false, order: "o" },
      now: new Date(),
      startupGraceMs: 300_000,
    };
    const growing = clusterConditions({ ...base, storage: { progressing: "growing 1 volume of m from 1Gi to 3Gi: 0 done" } });
    expect(growing.phase).toBe("Updating");
    expect(growing.conditions.find((c) => c.type === "Progressing")).toMatchObject({ status: "True", reason: "Resizing", message: "growing 1 volume of m from 1Gi to 3Gi: 0 done" });
    const failed = clusterConditions({ ...base, storage: { progressing: "growing …", failed: "data-m-0 could not grow to 3Gi: no room" } });
    expect(failed.phase).toBe("Degraded");
    expect(failed.conditions.find((c) => c.type === "Degraded")).toMatchObject({ status: "True", reason: "VolumeResizeFailed", message: "data-m-0 could not grow to 3Gi: no room" });
    const done = clusterConditions({ ...base, storage: {} });
    expect(done.phase).toBe("Running");
    expect(done.conditions.find((c) => c.type === "Progressing")).toMatchObject({ status: "False", reason: "Reconciled" });
  });

  it("requeues at the soonest delay given", () => {
    expect(soonest(undefined, 30_000, 1000)).toBe(1000);
    expect(soonest(undefined, undefined)).toBeUndefined();
  });
});

describe("the CRDs' storage rules (hand-written in each CRD)", () => {
  type Schema = { properties?: Record<string, Schema>; "x-kubernetes-validations"?: { rule: string; messageExpression?: string; reason?: string }[] };
  const spec = (file: string) => (parse(fs.readFileSync(file, "utf8")).spec.versions[0].schema.openAPIV3Schema as Schema).properties!.spec!;
  const growOnly = (field: string) => ({
    rule: "!isQuantity(self.size) || !isQuantity(oldSelf.size) || quantity(self.size).compareTo(quantity(oldSelf.size)) >= 0",
    messageExpression: `'${field} cannot shrink: ' + oldSelf.size + ' → ' + self.size + '; volumes can only grow'`,
    reason: "FieldValueForbidden",
  });
  const classFixed = {
    rule: "self.class == oldSelf.class",
    messageExpression: "'spec.storage.class cannot be changed after creation (' + oldSelf.class + ' → ' + self.class + '): volumes stay in the StorageClass they were made in'",
    reason: "FieldValueForbidden",
  };

  it.each([KAFKA_CRD_FILE, REDIS_CRD_FILE, POSTGRES_CRD_FILE])("%s lets spec.storage.size grow, never shrink, and keeps the class", (file) => {
    expect(spec(file).properties!.storage!["x-kubernetes-validations"]).toEqual([growOnly("spec.storage.size"), classFixed]);
  });

  it("lets a KafkaCluster's dedicated controllers' volumes grow too", () => {
    expect(spec(KAFKA_CRD_FILE).properties!.controllers!.properties!.storage!["x-kubernetes-validations"]).toEqual([growOnly("spec.controllers.storage.size")]);
  });
});
