import "server-only";
import { randomBytes } from "node:crypto";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { z } from "zod";
import { recordAudit } from "@/db/audit";
import { consoleDatabase } from "@/db/console";
import { settingOrCreate } from "@/db/settings";
import { clearSignInFailures, recordSignInFailure, signInLockedUntil } from "@/db/sign-in-failures";
import { addTeamMember, createUser, findUserByOidcSubject, findUserByUsername, listTeams, removeTeamMember, updateUser } from "@/db/users";
import { log } from "@/lib/log";
import { groupsOf, mayUseConsole, oidcConfigFromEnv, oidcUsername, roleFromGroups, type Env, type OidcConfig } from "./oidc";
import { dummyPasswordHash, verifyPassword } from "./password";
import { minutesUntil, signInLimitFromEnv, usernameKey } from "./rate-limit";
import { tooManyAttemptsError } from "./sign-in-errors";

const authLog = log.child({ component: "console-auth" });

/** Session lifetime: CONSOLE_SESSION_HOURS (8). A session is re-issued at most every 15 minutes of use. */
export function sessionMaxAgeSeconds(env: Env = process.env): number {
  const hours = Number(env.CONSOLE_SESSION_HOURS ?? "8");
  return Math.round((Number.isFinite(hours) && hours > 0 ? hours : 8) * 3600);
}

/**
 * The key that signs and encrypts session cookies: NEXTAUTH_SECRET when set (several replicas
 * behind one address must share it), else one generated on first start and kept in the database.
 */
let storedSecret: Promise<string> | undefined;
function sessionSecret(): Promise<string> {
  if (process.env.NEXTAUTH_SECRET) return Promise.resolve(process.env.NEXTAUTH_SECRET);
  storedSecret ??= settingOrCreate(consoleDatabase().db, "nextauth-secret", () => randomBytes(32).toString("base64url"));
  return storedSecret;
}

const credentials = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) });

const credentialsProvider = CredentialsProvider({
  id: "credentials",
  name: "Password",
  credentials: { username: { label: "Username", type: "text" }, password: { label: "Password", type: "password" } },
  async authorize(input) {
    const parsed = credentials.safeParse(input);
    if (!parsed.success) return null;
    const db = consoleDatabase().db;
    const { username, password } = parsed.data;
    // Rate limit per username, before any password is checked: a locked username is refused even
    // with the right password, so guessing stops for the lock's length.
    const key = usernameKey(username);
    const limit = signInLimitFromEnv();
    const now = new Date();
    const locked = await signInLockedUntil(db, key, now);
    if (locked) {
      authLog.info({ username }, "sign-in refused: too many failed attempts");
      await recordAudit(db, { actor: username, action: "auth.sign-in-locked", target: `user/${username}` });
      throw new Error(tooManyAttemptsError(minutesUntil(locked, now)));
    }
    const user = await findUserByUsername(db, username);
    // Same work whether or not the user exists: no username probing by timing.
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !user.passwordHash || !ok || user.disabled) {
      authLog.info({ username }, "sign-in refused");
      await recordAudit(db, { actor: username, action: "auth.sign-in-failed", target: `user/${username}` });
      const lockedNow = await recordSignInFailure(db, key, limit, now);
      if (lockedNow) throw new Error(tooManyAttemptsError(minutesUntil(lockedNow, now)));
      return null;
    }
    await clearSignInFailures(db, key);
    await recordAudit(db, { actor: user.username, action: "auth.sign-in", target: `user/${user.username}`, detail: { provider: "credentials" } });
    return { id: user.id, name: user.displayName || user.username };
  },
});

interface OidcProfile {
  sub: string;
  preferred_username?: string;
  email?: string;
  name?: string;
  [claim: string]: unknown;
}

function oidcProvider(config: OidcConfig): OAuthConfig<OidcProfile> {
  return {
    id: "oidc",
    name: config.name,
    type: "oauth",
    wellKnown: `${config.issuer}/.well-known/openid-configuration`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: "openid profile email" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (profile) => ({ id: profile.sub, name: profile.name ?? profile.preferred_username ?? profile.sub, email: profile.email ?? null }),
  };
}

/**
 * The console user of an OIDC identity: found by issuer + subject, created on first sign-in; its
 * role follows the identity provider's groups at every sign-in when group mapping is configured.
 */
async function oidcUser(config: OidcConfig, profile: OidcProfile): Promise<string | undefined> {
  const db = consoleDatabase().db;
  const subject = `${config.issuer}|${profile.sub}`;
  const mapping = config.adminGroups.length + config.approverGroups.length > 0;
  const role = roleFromGroups(profile[config.groupsClaim], config);
  let user = await findUserByOidcSubject(db, subject);
  if (!user) {
    const preferred = oidcUsername(profile, config.issuer, false);
    const taken = (await findUserByUsername(db, preferred)) !== undefined;
    user = await createUser(db, { username: oidcUsername(profile, config.issuer, taken), displayName: profile.name, oidcSubject: subject, role });
    await recordAudit(db, { actor: user.username, action: "user.create", target: `user/${user.username}`, detail: { provider: "oidc", role } });
  } else if (mapping && user.role !== role) {
    user = (await updateUser(db, user.id, { role })) ?? user;
  }
  if (user.disabled) return undefined;
  if (config.teamsFromGroups) {
    const groups = groupsOf(profile[config.groupsClaim]);
    for (const team of await listTeams(db)) {
      const member = team.members.includes(user.username);
      if (groups.includes(team.name) && !member) await addTeamMember(db, team.id, user.id);
      if (!groups.includes(team.name) && member) await removeTeamMember(db, team.id, user.id);
    }
  }
  await recordAudit(db, { actor: user.username, action: "auth.sign-in", target: `user/${user.username}`, detail: { provider: "oidc" } });
  return user.id;
}

/** The configured providers, for the sign-in page (ids and labels only). */
export function signInProviders(): { id: string; name: string }[] {
  const oidc = oidcConfigFromEnv();
  return oidc ? [{ id: "oidc", name: oidc.name }] : [];
}

let warnedOrigin = false;

/**
 * next-auth's options. Sessions are JWTs in an encrypted, HttpOnly, SameSite=Lax cookie carrying
 * only the user's id (`uid`): everything else is read from the database per request
 * (lib/auth/guard.ts). next-auth's own endpoints check its double-submit CSRF token.
 */
export async function authOptions(): Promise<AuthOptions> {
  if (!process.env.NEXTAUTH_URL && !process.env.AUTH_TRUST_HOST) {
    // next-auth builds redirect URLs from NEXTAUTH_URL; without it, trust the Host header (fine on
    // loopback and behind an ingress that sets it) and say so once.
    process.env.AUTH_TRUST_HOST = "1";
    if (!warnedOrigin) authLog.warn("NEXTAUTH_URL is not set; using the request's Host header as the console's address");
    warnedOrigin = true;
  }
  const oidc = oidcConfigFromEnv();
  const maxAge = sessionMaxAgeSeconds();
  return {
    secret: await sessionSecret(),
    session: { strategy: "jwt", maxAge, updateAge: 15 * 60 },
    jwt: { maxAge },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [credentialsProvider, ...(oidc ? [oidcProvider(oidc)] : [])],
    callbacks: {
      async jwt({ token, user, account, profile }) {
        if (user && account?.provider === "credentials") token.uid = user.id;
        if (oidc && account?.provider === "oidc" && profile) token.uid = await oidcUser(oidc, profile as OidcProfile);
        return token;
      },
      async signIn({ account, profile }) {
        if (oidc && account?.provider === "oidc") {
          const p = profile as OidcProfile | undefined;
          if (!p) return false;
          const db = consoleDatabase().db;
          if (!mayUseConsole(p[oidc.groupsClaim], oidc)) {
            // Refused before any account is created: the sign-in page says so (AccessDenied).
            const who = typeof p.preferred_username === "string" ? p.preferred_username : p.sub;
            authLog.info({ subject: p.sub }, "OIDC sign-in refused: in none of the allowed groups");
            await recordAudit(db, { actor: who, action: "auth.sign-in-failed", target: `user/${who}`, detail: { provider: "oidc", reason: "not in an allowed group" } });
            return false;
          }
          const disabled = (await findUserByOidcSubject(db, `${oidc.issuer}|${p.sub}`))?.disabled;
          return !disabled;
        }
        return true;
      },
      session({ session }) {
        // Only the display name goes to the browser; ids, roles and teams come from server routes.
        return { expires: session.expires, user: { name: session.user?.name } };
      },
    },
    logger: {
      error: (code, metadata) => authLog.error({ code, err: metadata instanceof Error ? metadata.message : undefined }, "next-auth error"),
      warn: (code) => authLog.warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The console user's id (users.id). */
    uid?: string;
  }
}
