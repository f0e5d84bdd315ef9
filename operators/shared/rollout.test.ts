import { describe, expect, it } from "vitest";
import { nextRestart, type RollMember } from "./rollout";

const member = (name: string, group: number, ordinal: number, over: Partial<RollMember> = {}): RollMember => ({
  name,
  group,
  ordinal,
  present: true,
  ready: true,
  terminating: false,
  upToDate: true,
  templateObserved: true,
  ...over,
});

describe("nextRestart", () => {
  it.each([
    {
      name: "nothing outdated: nothing to do",
      members: [member("c-0", 0, 0), member("b-0", 1, 0)],
      want: { action: "none" },
    },
    {
      name: "controllers before brokers, highest ordinal first",
      members: [
        member("b-0", 1, 0, { upToDate: false }),
        member("b-2", 1, 2, { upToDate: false }),
        member("c-0", 0, 0, { upToDate: false }),
        member("c-1", 0, 1, { upToDate: false }),
      ],
      want: { action: "restart", member: { name: "c-1" }, remaining: 4 },
    },
    {
      name: "brokers once the controllers are done",
      members: [member("c-0", 0, 0), member("c-1", 0, 1), member("b-0", 1, 0, { upToDate: false }), member("b-1", 1, 1, { upToDate: false })],
      want: { action: "restart", member: { name: "b-1" }, remaining: 2 },
    },
    {
      name: "waits while the restarted member is not ready yet",
      members: [member("b-0", 1, 0, { upToDate: false }), member("b-1", 1, 1, { ready: false }), member("b-2", 1, 2)],
      want: { action: "wait", reason: "b-1 is not ready", remaining: 1 },
    },
    {
      name: "waits while a member is being re-created",
      members: [member("b-0", 1, 0, { upToDate: false }), member("b-1", 1, 1, { present: false })],
      want: { action: "wait", reason: "b-1 is being created", remaining: 1 },
    },
    {
      name: "waits while a member is terminating",
      members: [member("b-0", 1, 0, { upToDate: false }), member("b-1", 1, 1, { terminating: true })],
      want: { action: "wait", reason: "b-1 is terminating", remaining: 1 },
    },
    {
      name: "waits until the StatefulSet has seen the new template (else the old one comes back)",
      members: [member("b-0", 1, 0, { upToDate: false, templateObserved: false }), member("b-1", 1, 1, { upToDate: false, templateObserved: false })],
      want: { action: "wait", reason: "the StatefulSet of b-1 has not seen its new template yet", remaining: 2 },
    },
    {
      name: "a missing member alone is not a roll",
      members: [member("b-0", 1, 0), member("b-1", 1, 1, { present: false, upToDate: false })],
      want: { action: "none" },
    },
  ])("$name", ({ members, want }) => {
    expect(nextRestart(members)).toMatchObject(want);
  });
});
