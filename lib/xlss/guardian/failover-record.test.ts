import { describe, expect, it } from "vitest";
import { failoverName, incidentStart, rpoSeconds, stageEnd, withStage } from "./failover-record";

describe("withStage", () => {
  it("keeps the stages in timeline order with their durations", () => {
    let s = withStage({}, "Restore", "2026-01-01T00:01:00Z", "2026-01-01T00:01:30Z");
    s = withStage(s, "Detect", "2026-01-01T00:00:00Z", "2026-01-01T00:00:20Z");
    s = withStage(s, "Reschedule", "2026-01-01T00:00:21Z");
    expect(s.stages?.map((x) => [x.name, x.seconds])).toEqual([
      ["Detect", 20],
      ["Reschedule", undefined],
      ["Restore", 30],
    ]);
  });

  it("replaces an earlier entry of the same stage (a retried step)", () => {
    const s = withStage(withStage({}, "Reschedule", "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z"), "Reschedule", "2026-01-01T00:00:00Z", "2026-01-01T00:00:09Z");
    expect(s.stages).toHaveLength(1);
    expect(stageEnd(s, "Reschedule")).toBe("2026-01-01T00:00:09Z");
    expect(incidentStart(s)).toBeUndefined();
  });

  it("never reports a negative duration when clocks disagree", () => {
    expect(withStage({}, "Ready", "2026-01-01T00:00:10Z", "2026-01-01T00:00:09Z").stages?.[0]?.seconds).toBe(0);
  });
});

describe("rpoSeconds", () => {
  it("is the age of the oldest restored snapshot when the node went down", () => {
    expect(rpoSeconds("2026-01-01T01:00:00Z", ["2026-01-01T00:59:00Z", "2026-01-01T00:50:00Z"])).toBe(600);
  });
  it("is unknown without the incident start or with a claim whose snapshot time is missing", () => {
    expect(rpoSeconds(undefined, ["2026-01-01T00:59:00Z"])).toBeUndefined();
    expect(rpoSeconds("2026-01-01T01:00:00Z", [])).toBeUndefined();
    expect(rpoSeconds("2026-01-01T01:00:00Z", ["2026-01-01T00:59:00Z", undefined])).toBeUndefined();
  });
});

it("names a failover after the pod and the failed pod's uid, within the name length limit", () => {
  expect(failoverName("kafka-1", "0123456789abcdef")).toBe("kafka-1-01234567");
  expect(failoverName("x".repeat(300), "0123456789").length).toBeLessThanOrEqual(253);
});
