import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { summarizeNodes } from "./node-summary";

const now = new Date("2026-12-04T12:00:00Z");

function node(name: string, ready: "True" | "False" | "Unknown", extra: Partial<V1Node["spec"]> = {}): V1Node {
  return {
    metadata: { name, labels: { "topology.kubernetes.io/zone": "zone-a" } },
    spec: extra,
    status: {
      allocatable: { cpu: "15800m", memory: "62Gi", pods: "110" },
      conditions: [{ type: "Ready", status: ready, lastTransitionTime: new Date("2026-12-04T11:59:00Z") }],
    },
  };
}

function pod(nodeName: string | undefined, cpu: string, memory: string, phase = "Running"): V1Pod {
  return {
    spec: { nodeName, containers: [{ name: "c", resources: { requests: { cpu, memory } } }] },
    status: { phase },
  };
}

describe("summarizeNodes", () => {
  it("sums the requests of active pods bound to each node", () => {
    const [n1, n2] = summarizeNodes(
      [node("xlss-node-2", "True"), node("xlss-node-1", "True")],
      [pod("xlss-node-1", "500m", "1Gi"), pod("xlss-node-1", "1", "512Mi"), pod("xlss-node-2", "2", "2Gi", "Succeeded"), pod(undefined, "4", "4Gi")],
      now,
    );
    expect(n1?.name).toBe("xlss-node-1");
    expect(n1?.cpu).toEqual({ requested: 1.5, allocatable: 15.8 });
    expect(n1?.memory).toEqual({ requested: 1.5 * 1024 ** 3, allocatable: 62 * 1024 ** 3 });
    expect(n1?.pods).toEqual({ count: 2, capacity: 110 });
    expect(n2?.pods.count).toBe(0);
    expect(n2?.cpu.requested).toBe(0);
  });

  it("reports Unknown for a node whose heartbeats stopped, with its taints and how long ago", () => {
    const [n] = summarizeNodes(
      [node("xlss-node-1", "Unknown", { taints: [{ key: "node.kubernetes.io/unreachable", effect: "NoExecute" }] })],
      [],
      now,
    );
    expect(n?.status).toBe("Unknown");
    expect(n?.taints).toEqual(["node.kubernetes.io/unreachable:NoExecute"]);
    expect(n?.statusAgeSeconds).toBe(60);
  });

  it("orders node-10 after node-9", () => {
    const names = summarizeNodes([node("xlss-node-10", "True"), node("xlss-node-9", "True")], [], now).map((n) => n.name);
    expect(names).toEqual(["xlss-node-9", "xlss-node-10"]);
  });
});
