import { describe, expect, it } from "vitest";
import { oidcConfigFromEnv, oidcUsername, roleFromGroups } from "./oidc";
import { passwordProblem } from "./password";

describe("OIDC configuration", () => {
  it("is off without variables and refuses a partial configuration", () => {
    expect(oidcConfigFromEnv({})).toBeUndefined();
    expect(() => oidcConfigFromEnv({ OIDC_ISSUER: "https://id.example/realms/x" })).toThrow(/together/);
  });

  it("reads issuer, groups and names", () => {
    const c = oidcConfigFromEnv({ OIDC_ISSUER: "https://id.example/realms/x/", OIDC_CLIENT_ID: "console", OIDC_CLIENT_SECRET: "s", OIDC_ADMIN_GROUPS: "ops, platform", OIDC_APPROVER_GROUPS: "leads" });
    expect(c).toMatchObject({ issuer: "https://id.example/realms/x", name: "Single sign-on", groupsClaim: "groups", adminGroups: ["ops", "platform"], approverGroups: ["leads"] });
  });
});

describe("roleFromGroups", () => {
  const config = { adminGroups: ["ops"], approverGroups: ["leads"] };
  it.each([
    [["ops", "leads"], "admin"],
    [["leads"], "approver"],
    [["dev"], "member"],
    ["ops", "member"],
    [undefined, "member"],
  ])("%j → %s", (groups, role) => expect(roleFromGroups(groups, config)).toBe(role));
});

describe("oidcUsername", () => {
  it("prefers preferred_username, then email, and qualifies a taken name with the issuer host", () => {
    expect(oidcUsername({ sub: "1", preferred_username: "li.wei" }, "https://id.example/r", false)).toBe("li.wei");
    expect(oidcUsername({ sub: "1", email: "a@b.c" }, "https://id.example/r", false)).toBe("a@b.c");
    expect(oidcUsername({ sub: "1", preferred_username: "root" }, "https://id.example/r", true)).toBe("root@id.example");
  });
});

describe("passwordProblem", () => {
  it.each([
    ["short", "alice", /at least 12/],
    ["alice-is-great-2024", "alice", /username/],
    ["correct horse battery", "alice", undefined],
  ])("%s", (password, user, problem) => {
    const p = passwordProblem(password, user);
    if (problem) expect(p).toMatch(problem);
    else expect(p).toBeUndefined();
  });
});
