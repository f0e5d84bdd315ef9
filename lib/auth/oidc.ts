import type { Role } from "@/db/schema";
/** Environment variables, as process.env or a plain object in tests. */
export type Env = Record<string, string | undefined>;

/** The optional OIDC provider (Keycloak, Dex, …), configured from the environment. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Button label on the sign-in page. */
  name: string;
  /** The ID-token claim listing the user's groups. */
  groupsClaim: string;
  adminGroups: string[];
  approverGroups: string[];
  /**
   * When set, only identities in one of these groups (or an admin or approver group) may sign in;
   * anyone else is refused on the sign-in page. Empty: every identity of the issuer may sign in.
   */
  memberGroups: string[];
  /** Team membership follows the groups: a group named like an existing console team makes the user its member. */
  teamsFromGroups: boolean;
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET enable it (all three or none); OIDC_NAME,
 * OIDC_GROUPS_CLAIM (groups), OIDC_ADMIN_GROUPS, OIDC_APPROVER_GROUPS and OIDC_MEMBER_GROUPS
 * (comma-separated) and OIDC_TEAMS_FROM_GROUPS (true/false) refine it.
 */
export function oidcConfigFromEnv(env: Env = process.env): OidcConfig | undefined {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: clientSecret } = env;
  const set = [issuer, clientId, clientSecret].filter(Boolean).length;
  if (set === 0) return undefined;
  if (set < 3 || !issuer || !clientId || !clientSecret) {
    throw new Error("OIDC needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together");
  }
  return {
    issuer: issuer.replace(/\/+$/, ""),
    clientId,
    clientSecret,
    name: env.OIDC_NAME ?? "Single sign-on",
    groupsClaim: env.OIDC_GROUPS_CLAIM ?? "groups",
    adminGroups: list(env.OIDC_ADMIN_GROUPS),
    approverGroups: list(env.OIDC_APPROVER_GROUPS),
    memberGroups: list(env.OIDC_MEMBER_GROUPS),
    teamsFromGroups: /^(1|true|yes)$/i.test(env.OIDC_TEAMS_FROM_GROUPS ?? ""),
  };
}

/** The string entries of a groups claim (anything else counts as no groups). */
export function groupsOf(claim: unknown): string[] {
  return Array.isArray(claim) ? claim.filter((g): g is string => typeof g === "string") : [];
}

/** Whether an identity with these groups may use the console at all (OIDC_MEMBER_GROUPS). */
export function mayUseConsole(groups: unknown, config: Pick<OidcConfig, "adminGroups" | "approverGroups" | "memberGroups">): boolean {
  if (config.memberGroups.length === 0) return true;
  const allowed = [...config.memberGroups, ...config.approverGroups, ...config.adminGroups];
  return groupsOf(groups).some((g) => allowed.includes(g));
}

/** The role the identity provider's groups grant: admin beats approver beats member. */
export function roleFromGroups(groups: unknown, config: Pick<OidcConfig, "adminGroups" | "approverGroups">): Role {
  const mine = groupsOf(groups);
  if (mine.some((g) => config.adminGroups.includes(g))) return "admin";
  if (mine.some((g) => config.approverGroups.includes(g))) return "approver";
  return "member";
}

/** A console username for an OIDC identity: its preferred username, made unique with the issuer's host when taken. */
export function oidcUsername(profile: { sub: string; preferred_username?: unknown; email?: unknown }, issuer: string, taken: boolean): string {
  const preferred = typeof profile.preferred_username === "string" && profile.preferred_username ? profile.preferred_username : typeof profile.email === "string" ? profile.email : profile.sub;
  return taken ? `${preferred}@${new URL(issuer).host}` : preferred;
}
