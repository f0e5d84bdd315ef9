import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { nextRestart } from "../shared/rollout";
import { observePostgresMembers } from "./members";
import { desiredPostgresObjects } from "./objects";
import { postgresStatus } from "./status";
import { postgresCluster } from "./test-fixtures";

const pg = postgresCluster({ replicas: 3 });
const { restartHashes } = desiredPostgresObjects(pg, "postgres");
const now = new Date("2026-12-04T12:00:00Z");

function pod(name: string, opts: { ready?: boolean; hash?: string; version?: string } = {}): V1Pod {
  const set = name.slice(0, name.lastIndexOf("-"));
  return {
    metadata: {
      name,
      namespace: "team-a",
      creationTimestamp: new Date(now.getTime() - 60_000),
      labels: { "app.kubernetes.io/version": opts.version ?? "17.5", "topology.kubernetes.io/zone": "zone-a" },
      annotations: { "paas.xlss.io/restart-hash": opts.hash ?? restartHashes[set]! },
    },
    spec: { nodeName: "xlss-node-1", containers: [] },
    status: { phase: "Running", conditions: [{ type: "Ready", status: opts.ready === false ? "False" : "True" }] },
  };
}

const observe = (pods: V1Pod[]) => {
  const members = observePostgresMembers(pg, restartHashes, pods, () => true);
  return { members, status: postgresStatus(pg, { members, roll: nextRestart(members), now, startupGraceMs: 300_000 }) };
};

describe("postgresStatus", () => {
  it("reports a ready cluster with its endpoints and the Secret's name", () => {
    const { status } = observe([pod("db-primary-0"), pod("db-replica-0"), pod("db-replica-1")]);
    expect(status).toMatchObject({
      phase: "Running",
      version: "17.5",
      replicas: 3,
      readyReplicas: 3,
      selector: "app.kubernetes.io/name=postgres,app.kubernetes.io/instance=db",
      primary: "db-primary.team-a.svc:5432",
      endpoints: { primary: "db-primary.team-a.svc:5432", readOnly: "db-replicas.team-a.svc:5432" },
      credentialsSecret: "db-credentials",
    });
    expect(status.conditions?.find((c) => c.type === "Ready")).toMatchObject({ status: "True", message: "1/1 primary and 2/2 replicas ready", observedGeneration: 1 });
    expect(status.members?.map((m) => `${m.name}:${m.role}`)).toEqual(["db-replica-0:replica", "db-replica-1:replica", "db-primary-0:primary"]);
  });

  it("restarts the highest replica first and the primary last", () => {
    const outdated = { hash: "old" };
    expect(nextRestart(observe([pod("db-primary-0", outdated), pod("db-replica-0", outdated), pod("db-replica-1", outdated)]).members)).toMatchObject({
      action: "restart",
      member: { name: "db-replica-1" },
      remaining: 3,
    });
    expect(nextRestart(observe([pod("db-primary-0", outdated), pod("db-replica-0"), pod("db-replica-1")]).members)).toMatchObject({ action: "restart", member: { name: "db-primary-0" } });
  });

  it("says Updating with the order while a minor update rolls, the oldest version until it is done", () => {
    const { status } = observe([pod("db-primary-0", { hash: "old", version: "17.2" }), pod("db-replica-0", { hash: "old", version: "17.2" }), pod("db-replica-1")]);
    expect(status.phase).toBe("Updating");
    expect(status.version).toBe("17.2");
    expect(status.conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "True",
      reason: "Upgrading",
      message: "updating to PostgreSQL 17.5, one member at a time (replicas first, the primary last): 2 left; restarting db-replica-0",
    });
  });
});
