import { describe, expect, it } from "vitest";
import { autoApprovePolicyFromEnv, autoApproves } from "./auto-approve";

describe("auto-approve policy", () => {
  const policy = autoApprovePolicyFromEnv({ CONSOLE_AUTO_APPROVE: '{"namespaces":["*-dev","sandbox"],"maxReplicas":3}' });
  const req = (namespace: string, replicas: number | undefined, action: "create" | "change" | "delete" = "create") => ({ action, namespace, manifest: { spec: replicas === undefined ? {} : { replicas } } });

  it.each([
    ["small cluster in a dev namespace", req("team-a-dev", 3), true],
    ["exact namespace", req("sandbox", 1), true],
    ["too many brokers", req("team-a-dev", 4), false],
    ["replicas left to the default", req("team-a-dev", undefined), false],
    ["production namespace", req("team-a", 1), false],
    ["deletion (not in the default actions)", req("team-a-dev", 1, "delete"), false],
  ])("%s → %s", (_, request, approved) => expect(autoApproves(policy, request)).toBe(approved));

  it("is off without configuration and refuses a malformed one", () => {
    expect(autoApprovePolicyFromEnv({})).toBeUndefined();
    expect(autoApproves(undefined, req("team-a-dev", 1))).toBe(false);
    expect(() => autoApprovePolicyFromEnv({ CONSOLE_AUTO_APPROVE: '{"namespaces":[]}' })).toThrow();
  });
});
