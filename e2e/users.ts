/** The console users the end-to-end global setup creates (lib/auth/admin.ts), and their teams. */
export const USERS = {
  admin: { username: "root", password: "admin-pass-e2e-0001", role: "admin" },
  approver: { username: "victor", password: "approver-pass-e2e-02", role: "approver" },
  /** Member of team-a (namespace team-a). */
  alice: { username: "alice", password: "member-a-pass-e2e-03", role: "member", team: "team-a" },
  /** Member of team-b (namespace team-b). */
  bob: { username: "bob", password: "member-b-pass-e2e-04", role: "member", team: "team-b" },
  /** Only for the rate-limit tests (rate-limit.spec.ts), which lock her out. */
  lena: { username: "lena", password: "locked-out-pass-e2e-05", role: "member", team: "team-a" },
  /** Only for the rate-limit reset test. */
  ravi: { username: "ravi", password: "count-reset-pass-e2e-06", role: "member", team: "team-a" },
} as const;
export type E2EUser = (typeof USERS)[keyof typeof USERS];

/**
 * Users of the test OpenID provider (e2e/oidc-provider), which the console trusts as "XLSS ID" with
 * OIDC_APPROVER_GROUPS=platform-approvers, OIDC_MEMBER_GROUPS=developers and OIDC_TEAMS_FROM_GROUPS.
 */
export const OIDC_USERS = {
  /** Approver by group. */
  mei: { id: "oidc-mei", username: "mei.lin", password: "mei-at-the-idp-0001", firstName: "Mei", lastName: "Lin", email: "mei.lin@example.com", groups: ["developers", "platform-approvers"] },
  /** Member of team-a by groups. */
  omar: { id: "oidc-omar", username: "omar", password: "omar-at-the-idp-0002", firstName: "Omar", lastName: "Haddad", email: "omar@example.com", groups: ["developers", "team-a"] },
  /** In none of the console's groups: refused. */
  carla: { id: "oidc-carla", username: "carla", password: "carla-at-the-idp-0003", firstName: "Carla", lastName: "Contractor", email: "carla@example.com", groups: ["contractors"] },
} as const;

/** The OpenID provider's name on the console's sign-in button (OIDC_NAME). */
export const OIDC_NAME = "XLSS ID";
