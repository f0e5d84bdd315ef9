import { describe, expect, it } from "vitest";
import { findCondition, isConditionTrue, setCondition, type Condition } from "./conditions";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-01T00:05:00Z");

describe("setCondition", () => {
  it("appends a new type with the time of the call and the generation", () => {
    const list = setCondition(undefined, { type: "Ready", status: "False", reason: "Creating", message: "" }, 1, t0);
    expect(list).toEqual([{ type: "Ready", status: "False", reason: "Creating", message: "", lastTransitionTime: t0.toISOString(), observedGeneration: 1 }]);
  });

  it("keeps the transition time while the status stays, even when reason, message and generation change", () => {
    const before = setCondition(undefined, { type: "Ready", status: "False", reason: "Creating", message: "0/3" }, 1, t0);
    const after = setCondition(before, { type: "Ready", status: "False", reason: "MembersNotReady", message: "2/3" }, 2, t1);
    expect(after[0]).toMatchObject({ reason: "MembersNotReady", message: "2/3", lastTransitionTime: t0.toISOString(), observedGeneration: 2 });
  });

  it("moves the transition time when the status changes, and keeps the order of the list", () => {
    let list: Condition[] = [];
    list = setCondition(list, { type: "Ready", status: "False", reason: "Creating", message: "" }, 1, t0);
    list = setCondition(list, { type: "Progressing", status: "True", reason: "Creating", message: "" }, 1, t0);
    list = setCondition(list, { type: "Ready", status: "True", reason: "AllMembersReady", message: "" }, 1, t1);
    expect(list.map((c) => c.type)).toEqual(["Ready", "Progressing"]);
    expect(findCondition(list, "Ready")?.lastTransitionTime).toBe(t1.toISOString());
    expect(isConditionTrue(list, "Ready")).toBe(true);
    expect(isConditionTrue(list, "Degraded")).toBe(false);
  });

  it("does not modify the list it is given", () => {
    const list = setCondition(undefined, { type: "Ready", status: "False", reason: "Creating", message: "" }, 1, t0);
    const copy = structuredClone(list);
    setCondition(list, { type: "Ready", status: "True", reason: "AllMembersReady", message: "" }, 1, t1);
    expect(list).toEqual(copy);
  });
});
