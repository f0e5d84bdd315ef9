/** The console users the end-to-end global setup creates (lib/auth/admin.ts), and their teams. */
export const USERS = {
  admin: { username: "root", password: "root-password-e2e", role: "admin" },
  approver: { username: "victor", password: "victor-password-e2e", role: "approver" },
  /** Member of team-a (namespace team-a). */
  alice: { username: "alice", password: "alice-password-e2e", role: "member", team: "team-a" },
  /** Member of team-b (namespace team-b). */
  bob: { username: "bob", password: "bob-password-e2e", role: "member", team: "team-b" },
} as const;
export type E2EUser = (typeof USERS)[keyof typeof USERS];
