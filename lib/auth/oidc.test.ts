import { describe, expect, it } from "vitest";
import { mayUseConsole, oidcConfigFromEnv, oidcUsername, roleFromGroups } from "./oidc";
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

describe("mayUseConsole", () => {
  const config = { adminGroups: ["ops"], approverGroups: ["leads"], memberGroups: ["dev"] };
  it.each([
    [["dev"], true],
    [["leads"], true],
    [["ops", "other"], true],
    [["other"], false],
    [[], false],
    [undefined, false],
  ])("%j → %s", (groups, allowed) => expect(mayUseConsole(groups, config)).toBe(allowed));

  it("lets every identity in when OIDC_MEMBER_GROUPS is not set", () => {
    expect(mayUseConsole(undefined, { ...config, memberGroups: [] })).toBe(true);
  });

  it("reads OIDC_MEMBER_GROUPS and OIDC_TEAMS_FROM_GROUPS", () => {
    const c = oidcConfigFromEnv({ OIDC_ISSUER: "https://id.example", OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: "s", OIDC_MEMBER_GROUPS: "dev,qa", OIDC_TEAMS_FROM_GROUPS: "true" });
    expect(c).toMatchObject({ memberGroups: ["dev", "qa"], teamsFromGroups: true });
    expect(oidcConfigFromEnv({ OIDC_ISSUER: "https://id.example", OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: "s" })?.teamsFromGroups).toBe(false);
  });
});
