import type { V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { claimsUnderPolicy, schedulePeriodSeconds } from "./fleet-metrics";

describe("schedulePeriodSeconds", () => {
  const from = new Date("2026-03-04T12:00:00Z"); // a Wednesday
  it("is the interval of @every schedules", () => {
    expect(schedulePeriodSeconds({ kind: "interval", ms: 6 * 3_600_000, text: "@every 6h" }, from)).toBe(21_600);
  });
  it("is the longest gap of a cron schedule", () => {
    expect(schedulePeriodSeconds({ kind: "cron", expr: "0 3 * * *", text: "" }, from)).toBe(86_400);
    // Weekdays only: Friday to Monday is the longest gap.
    expect(schedulePeriodSeconds({ kind: "cron", expr: "0 3 * * 1-5", text: "" }, from)).toBe(3 * 86_400);
    expect(schedulePeriodSeconds({ kind: "cron", expr: "30 2 * * 0", text: "" }, from)).toBe(7 * 86_400);
  });
});

describe("claimsUnderPolicy", () => {
  const claim = (name: string, cls: string): V1PersistentVolumeClaim => ({
    metadata: { name, namespace: "team", creationTimestamp: new Date("2026-03-01T00:00:00Z") },
    spec: { storageClassName: cls },
  });
  const claims = new Map([
    ["data-0", claim("data-0", "xlss-local")],
    ["logs-0", claim("logs-0", "standard")],
    ["data-1", claim("data-1", "xlss-local")],
  ]);
  const pod = (name: string, claimNames: string[], annotations: Record<string, string>, phase = "Running"): V1Pod => ({
    metadata: { name, namespace: "team", annotations },
    spec: { containers: [], volumes: claimNames.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })) },
    status: { phase },
  });
  const run = (pods: V1Pod[]) =>
    claimsUnderPolicy(pods, (_ns, name) => claims.get(name), (cls) => cls === "xlss-local", new Date("2026-03-04T12:00:00Z"));

  it("lists the xlss-local claims of Running pods with a valid, enabled policy", () => {
    const out = run([
      pod("a-0", ["data-0", "logs-0"], { "backup.xlss.io/schedule": "@every 1h" }),
      pod("a-1", ["data-1"], { "backup.xlss.io/schedule": "@every 1h" }, "Pending"),
      pod("b-0", ["data-1"], { "backup.xlss.io/schedule": "@every 1h", "backup.xlss.io/enabled": "false" }),
      pod("c-0", ["data-1"], { "backup.xlss.io/schedule": "@every 1s" }),
    ]);
    expect([...out.values()]).toEqual([{ namespace: "team", claim: "data-0", periodSeconds: 3600, since: Date.parse("2026-03-01T00:00:00Z") / 1000 }]);
  });
  it("keeps the stricter schedule when two pods back up one claim", () => {
    const out = run([
      pod("a-0", ["data-0"], { "backup.xlss.io/schedule": "0 3 * * *" }),
      pod("a-1", ["data-0"], { "backup.xlss.io/schedule": "@every 2h" }),
    ]);
    expect(out.get("team/data-0")?.periodSeconds).toBe(7200);
  });
});
