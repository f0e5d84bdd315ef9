import { describe, expect, it } from "vitest";
import type { XlssBackup } from "@/lib/xlss/api/types";
import { backupStanding } from "./backup-state";

const backup = (name: string, phase: "Completed" | "Failed" | "Running", completed: string, snapshotId?: string): XlssBackup => ({
  apiVersion: "storage.xlss.io/v1alpha1",
  kind: "XlssBackup",
  metadata: { name, namespace: "team-a", creationTimestamp: new Date(completed) },
  spec: { claimName: "data-0" },
  status: { phase, completionTime: completed, ...(snapshotId ? { snapshotId } : {}) },
});

const now = new Date("2026-01-01T12:00:00Z");
const hourly = { "backup.xlss.io/schedule": "@every 1h" };

describe("backupStanding", () => {
  it.each([
    ["no policy", {}, [], "none"],
    ["policy, nothing yet", hourly, [], "never"],
    ["policy, only a failure", hourly, [backup("b1", "Failed", "2026-01-01T11:50:00Z")], "never"],
    ["recent good backup", hourly, [backup("b1", "Completed", "2026-01-01T11:30:00Z", "s1")], "ok"],
    ["slot passed within grace", hourly, [backup("b1", "Completed", "2026-01-01T10:50:00Z", "s1")], "ok"],
    ["slot passed long ago", hourly, [backup("b1", "Completed", "2026-01-01T09:00:00Z", "s1")], "overdue"],
    ["paused", { ...hourly, "backup.xlss.io/enabled": "false" }, [], "paused"],
    ["invalid", { "backup.xlss.io/schedule": "@every 1s" }, [], "invalid"],
  ] as const)("%s → %s", (_, annotations, backups, health) => {
    expect(backupStanding(annotations, backups, now).health).toBe(health);
  });

  it("reports the newest good backup, its age and the next due time", () => {
    const s = backupStanding(hourly, [backup("old", "Completed", "2026-01-01T10:00:00Z", "s0"), backup("new", "Completed", "2026-01-01T11:30:00Z", "s1"), backup("failed", "Failed", "2026-01-01T11:45:00Z")], now);
    expect(s.lastGood).toEqual({ name: "new", time: "2026-01-01T11:30:00Z", snapshotId: "s1" });
    expect(s.lastGoodAgeSeconds).toBe(1800);
    expect(s.nextDue).toBe("2026-01-01T12:30:00.000Z");
    expect(s.lastRun?.name).toBe("failed");
  });
});
