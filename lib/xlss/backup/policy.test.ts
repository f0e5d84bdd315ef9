import { describe, expect, it } from "vitest";
import { jitterMs, nextRun, parsePolicy } from "./policy";

describe("parsePolicy", () => {
  it("has no policy and no errors without annotations", () => {
    expect(parsePolicy(undefined)).toEqual({ errors: [] });
    expect(parsePolicy({ "other.io/x": "y" })).toEqual({ errors: [] });
  });

  it("reads an interval with default retention", () => {
    expect(parsePolicy({ "backup.xlss.io/schedule": "@every 30s" }).policy).toEqual({
      schedule: { kind: "interval", ms: 30_000, text: "@every 30s" },
      retention: { last: 7 },
      enabled: true,
    });
  });

  it("reads cron, retention and enabled", () => {
    const { policy, errors } = parsePolicy({
      "backup.xlss.io/schedule": "0 */6 * * *",
      "backup.xlss.io/retention": "last=3, daily=7,weekly=4",
      "backup.xlss.io/enabled": "false",
    });
    expect(errors).toEqual([]);
    expect(policy).toEqual({ schedule: { kind: "cron", expr: "0 */6 * * *", text: "0 */6 * * *" }, retention: { last: 3, daily: 7, weekly: 4 }, enabled: false });
  });

  it.each([
    [{ "backup.xlss.io/schedule": "61 * * * *" }, /invalid cron expression "61 \* \* \* \*"/],
    [{ "backup.xlss.io/schedule": "every day" }, /neither "@every <n><s\|m\|h\|d>" nor a five-field cron/],
    [{ "backup.xlss.io/schedule": "@every 5x" }, /not an interval like/],
    [{ "backup.xlss.io/schedule": "@every 1s" }, /shorter than the 10s minimum/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/retention": "last=-1" }, /last must be at least 1, got -1/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/retention": "monthly=2" }, /"monthly=2" is not one of/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/enabled": "yes" }, /must be "true" or "false"/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/schedul": "x" }, /unknown annotation backup.xlss.io\/schedul/],
    [{ "backup.xlss.io/retention": "last=2" }, /schedule is missing/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/pre-hook": "sync" }, /pre-hook: "sync" is not a JSON array of strings/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/pre-hook-timeout": "-1s" }, /must be positive, got -1s/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/post-hook": '["x"]', "backup.xlss.io/post-hook-on-error": "Retry" }, /must be "Fail" or "Continue"/],
    [{ "backup.xlss.io/schedule": "@every 1m", "backup.xlss.io/pre-hooks": '["sync"]' }, /unknown annotation backup.xlss.io\/pre-hooks/],
  ])("rejects %j", (annotations, message) => {
    const { policy, errors } = parsePolicy(annotations);
    expect(policy).toBeUndefined();
    expect(errors.join("\n")).toMatch(message);
  });

  it("accepts hooks beside a schedule, and hooks alone (for on-demand backups) without an error", () => {
    const hooks = { "backup.xlss.io/pre-hook": '["/bin/sh", "-c", "sync"]', "backup.xlss.io/post-hook-on-error": "Continue", "backup.xlss.io/post-hook": '["true"]' };
    expect(parsePolicy({ "backup.xlss.io/schedule": "@every 1m", ...hooks }).errors).toEqual([]);
    expect(parsePolicy({ "backup.xlss.io/schedule": "@every 1m", ...hooks }).policy?.schedule.text).toBe("@every 1m");
    expect(parsePolicy(hooks)).toEqual({ errors: [] });
  });
});

describe("nextRun", () => {
  const now = new Date("2026-12-04T12:00:00Z");
  const every = { kind: "interval", ms: 60_000, text: "@every 1m" } as const;
  const sixHourly = { kind: "cron", expr: "0 */6 * * *", text: "0 */6 * * *" } as const;

  it("is now when there was no run yet", () => {
    expect(nextRun(every, undefined, now)).toEqual(now);
  });
  it("is one period after the last run", () => {
    expect(nextRun(every, new Date("2026-12-04T11:59:30Z"), now)).toEqual(new Date("2026-12-04T12:00:30Z"));
    expect(nextRun(sixHourly, new Date("2026-12-04T11:00:00Z"), now)).toEqual(new Date("2026-12-04T12:00:00Z"));
    expect(nextRun(sixHourly, new Date("2026-12-04T12:00:00Z"), now)).toEqual(new Date("2026-12-04T18:00:00Z"));
  });
  it("makes a missed schedule due at once, and the slot after that run lies in the future", () => {
    const missed = nextRun(every, new Date("2026-12-03T00:00:00Z"), now);
    expect(missed.getTime()).toBeLessThan(now.getTime());
    expect(nextRun(sixHourly, new Date("2026-11-01T00:00:00Z"), now).getTime()).toBeLessThan(now.getTime());
    // The catch-up run happens now; the next one is a full period later, not the next missed slot.
    expect(nextRun(every, now, now)).toEqual(new Date(now.getTime() + 60_000));
  });
});

it("jitter stays within 10% of the period, at most a minute", () => {
  expect(jitterMs({ kind: "interval", ms: 100_000, text: "" }, () => 0.999)).toBeLessThan(10_000);
  expect(jitterMs({ kind: "cron", expr: "0 */6 * * *", text: "" }, () => 0.999)).toBeLessThan(60_000);
  expect(jitterMs({ kind: "interval", ms: 100_000, text: "" }, () => 0)).toBe(0);
});
