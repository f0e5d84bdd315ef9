/** The console users the end-to-end global setup creates (lib/auth/admin.ts), and their teams. */
export const USERS = {
  admin: { username: "root", password: "admin-pass-e2e-0001", role: "admin" },
  approver: { username: "victor", password: "approver-pass-e2e-02", role: "approver" },
  /** Member of team-a (namespace team-a). */
  alice: { username: "alice", password: "member-a-pass-e2e-03", role: "member", team: "team-a" },
  /** Member of team-b (namespace team-b). */
  bob: { username: "bob", password: "member-b-pass-e2e-04", role: "member", team: "team-b" },
} as const;
export type E2EUser = (typeof USERS)[keyof typeof USERS];
