import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { findCondition } from "../../lib/k8s/conditions";
import { nextRestart } from "../shared/rollout";
import { observeMembers } from "./members";
import { desiredObjects, type KafkaPlan } from "./objects";
import { kafkaStatus } from "./status";
import { kafkaCluster, type KafkaSpecInput } from "./test-fixtures";
import type { KafkaCluster, KafkaClusterStatus } from "./types";

const now = new Date("2026-06-01T12:00:00Z");
const plan: KafkaPlan = { brokerReplicas: 3, versions: { controller: "4.1.1", broker: "4.1.1" }, image: "apache/kafka" };

interface PodOpts {
  ready?: boolean;
  outdated?: boolean;
  ageSeconds?: number;
  node?: string;
}

/** The pods of a cluster as KWOK runs them: every expected member, with the given exceptions. */
function podsOf(kc: KafkaCluster, p: KafkaPlan, over: Record<string, PodOpts | "missing"> = {}): V1Pod[] {
  const { restartHashes } = desiredObjects(kc, p);
  return observeMembers(kc, p, restartHashes, [], () => true).flatMap((m) => {
    const o = over[m.name];
    if (o === "missing") return [];
    const set = m.name.replace(/-\d+$/, "");
    return [
      {
        metadata: {
          name: m.name,
          creationTimestamp: new Date(now.getTime() - (o?.ageSeconds ?? 600) * 1000),
          labels: { "app.kubernetes.io/version": "4.1.1", "topology.kubernetes.io/zone": "zone-a" },
          annotations: { "paas.xlss.io/restart-hash": o?.outdated ? "old" : restartHashes[set]! },
        },
        spec: { nodeName: o?.node ?? "xlss-node-1", containers: [] },
        status: { conditions: [{ type: "Ready", status: o?.ready === false ? "False" : "True" }] },
      },
    ];
  });
}

function statusOf(spec: KafkaSpecInput, over: Record<string, PodOpts | "missing"> = {}, previous?: KafkaClusterStatus, extra: { scaleInRefused?: string } = {}) {
  const kc = { ...kafkaCluster(spec), status: previous };
  const { restartHashes } = desiredObjects(kc, plan);
  const members = observeMembers(kc, plan, restartHashes, podsOf(kc, plan, over), () => true);
  return kafkaStatus(kc, { plan, members, roll: nextRestart(members), clusterId: "id", now, startupGraceMs: 300_000, ...extra });
}

const running = (): KafkaClusterStatus => statusOf({});

describe("kafkaStatus", () => {
  it("reports a cluster whose members all run as Running and Ready, with endpoints and members", () => {
    const s = running();
    expect(s.phase).toBe("Running");
    expect(findCondition(s.conditions, "Ready")).toMatchObject({ status: "True", reason: "AllMembersReady", message: "3/3 brokers and 3/3 controllers ready", observedGeneration: 1 });
    expect(findCondition(s.conditions, "Progressing")).toMatchObject({ status: "False", reason: "Reconciled" });
    expect(findCondition(s.conditions, "Degraded")).toMatchObject({ status: "False" });
    expect(s).toMatchObject({
      version: "4.1.1",
      replicas: 3,
      readyReplicas: 3,
      bootstrapServers: "orders-bootstrap.team-a.svc:9092",
      endpoints: [{ listener: "plain", bootstrapServers: "orders-bootstrap.team-a.svc:9092", tls: false }],
      selector: "app.kubernetes.io/name=kafka,app.kubernetes.io/instance=orders,app.kubernetes.io/component=broker",
      replication: { factor: 3, minInSync: 2 },
    });
    expect(s.members?.[0]).toEqual({ name: "orders-controller-0", role: "controller", id: 1000, node: "xlss-node-1", zone: "zone-a", ready: true, version: "4.1.1", upToDate: true });
    expect(s.members?.[3]).toMatchObject({ name: "orders-broker-0", role: "broker", id: 0 });
  });

  it("is Creating until every member is first ready", () => {
    const s = statusOf({}, { "orders-broker-2": "missing", "orders-broker-1": { ready: false, ageSeconds: 5 } });
    expect(s.phase).toBe("Creating");
    expect(findCondition(s.conditions, "Ready")).toMatchObject({ status: "False", message: "1/3 brokers and 3/3 controllers ready" });
    expect(findCondition(s.conditions, "Progressing")).toMatchObject({ status: "True", reason: "Creating" });
    expect(s.replicas).toBe(2);
  });

  it("is Updating while members restart in order, and names the step", () => {
    const s = statusOf({}, { "orders-broker-0": { outdated: true }, "orders-broker-1": { outdated: true } }, running());
    expect(s.phase).toBe("Updating");
    expect(findCondition(s.conditions, "Progressing")).toMatchObject({
      status: "True",
      reason: "RollingRestart",
      message: "applying a new configuration, one member at a time (controllers first): 2 left; restarting orders-broker-1",
    });
  });

  it("keeps the replication in effect until every broker has restarted with the new one", () => {
    const prev = running();
    const rolling = statusOf({ replication: { factor: 2, minInSync: 1 } }, { "orders-broker-0": { outdated: true } }, prev);
    expect(rolling.replication).toEqual({ factor: 3, minInSync: 2 });
    expect(statusOf({ replication: { factor: 2, minInSync: 1 } }, {}, prev).replication).toEqual({ factor: 2, minInSync: 1 });
  });

  it("keeps the replication in effect while a scale-in is refused, so the refusal is not just a delay", () => {
    const refused = statusOf({ replication: { factor: 2, minInSync: 1 } }, {}, running(), { scaleInRefused: "refused" });
    expect(refused.replication).toEqual({ factor: 3, minInSync: 2 });
  });

  it("is Degraded when a member stays down past the start-up grace, not while it starts", () => {
    const starting = statusOf({}, { "orders-broker-1": { ready: false, ageSeconds: 60 } }, running());
    expect(starting.phase).toBe("Updating");
    expect(findCondition(starting.conditions, "Degraded")?.status).toBe("False");
    const stuck = statusOf({}, { "orders-broker-1": { ready: false, ageSeconds: 900, node: "xlss-node-3" } }, running());
    expect(stuck.phase).toBe("Degraded");
    expect(findCondition(stuck.conditions, "Degraded")).toMatchObject({ status: "True", reason: "MembersDown", message: "not ready for more than 300 s: orders-broker-1 on xlss-node-3" });
  });

  it("says Progressing=False with ScaleInRefused when a scale-in is refused, the cluster staying Ready", () => {
    const s = statusOf({}, {}, running(), { scaleInRefused: "scale-in from 3 to 2 brokers refused: …" });
    expect(findCondition(s.conditions, "Progressing")).toMatchObject({ status: "False", reason: "ScaleInRefused", message: "scale-in from 3 to 2 brokers refused: …" });
    expect(findCondition(s.conditions, "Ready")?.status).toBe("True");
    expect(s.phase).toBe("Running");
  });

  it("keeps transition times of unchanged conditions, so an unchanged cluster gives an unchanged status", () => {
    const first = running();
    expect(statusOf({}, {}, first)).toEqual(first);
  });
});
