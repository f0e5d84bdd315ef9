import "server-only";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { consoleDatabase } from "@/db/console";
import type { Role } from "@/db/schema";
import { log } from "@/lib/log";
import { ApiError } from "./errors";
import { authOptions } from "./options";
import { hasRole, loadPrincipal, type Principal } from "./principal";

// The one place the console decides who is calling and whether they may: pages call
// `pagePrincipal`, route handlers are wrapped in `apiRoute`. Both read the session cookie, then the
// user, role and teams from the database.

/**
 * The signed-in principal, or undefined without a valid session. The session cookie is an
 * encrypted JWT whose expiry the decoder checks; it carries only the user's id.
 */
export async function currentPrincipal(): Promise<Principal | undefined> {
  const jar = await cookies();
  const token = await getToken({
    req: { headers: {}, cookies: Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])) } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: (await authOptions()).secret,
  });
  return token?.uid ? loadPrincipal(consoleDatabase().db, token.uid) : undefined;
}

/**
 * For pages: the principal, or a redirect to the sign-in page. A role below `atLeast` yields
 * `{ forbidden: true }` so the page can say so (never a silent redirect).
 */
export async function pagePrincipal(path: string, atLeast: Role = "member"): Promise<Principal & { forbidden: boolean }> {
  const principal = await currentPrincipal();
  if (!principal) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return { ...principal, forbidden: !hasRole(principal, atLeast) };
}

/**
 * Same-origin check for state-changing requests (CSRF): the browser's Origin header must be the
 * console's own. Together with SameSite=Lax session cookies and JSON-only bodies, a page on another
 * site cannot make a signed-in browser change anything.
 */
function checkOrigin(req: Request): void {
  if (req.method === "GET" || req.method === "HEAD") return;
  const origin = req.headers.get("origin");
  const expected = process.env.NEXTAUTH_URL ? new URL(process.env.NEXTAUTH_URL).origin : `${new URL(req.url).protocol}//${req.headers.get("host")}`;
  if (!origin || origin !== expected) throw new ApiError("bad-origin", "cross-origin request refused");
  const type = req.headers.get("content-type") ?? "";
  if (req.headers.get("content-length") !== "0" && type && !type.startsWith("application/json")) {
    throw new ApiError("invalid-input", "send JSON (Content-Type: application/json)");
  }
}

type RouteContext<P> = { params: Promise<P> };
export interface Authorized<P> {
  principal: Principal;
  params: P;
}

/** Turns a thrown error into the JSON answer: ApiError and ZodError are the user's; the rest is logged and hidden. */
export function errorResponse(err: unknown): NextResponse {
  if (err instanceof ApiError) return NextResponse.json({ error: { code: err.code, message: err.message, details: err.details } }, { status: err.status });
  if (err instanceof ZodError) {
    return NextResponse.json({ error: { code: "invalid-input", message: "invalid input", details: err.issues.map((i) => ({ path: i.path.join("."), message: i.message })) } }, { status: 422 });
  }
  log.error({ err: err instanceof Error ? err.message : String(err) }, "console route failed");
  return NextResponse.json({ error: { code: "internal", message: "internal error" } }, { status: 500 });
}

/**
 * Wraps a route handler: 401 without a session, 403 below `role` or for a cross-origin mutation,
 * errors to JSON. Every route handler of the console goes through here.
 */
export function apiRoute<P = Record<string, never>>(
  handler: (req: Request, auth: Authorized<P>) => Promise<Response>,
  opts: { role?: Role } = {},
): (req: Request, ctx: RouteContext<P>) => Promise<Response> {
  return async (req, ctx) => {
    try {
      checkOrigin(req);
      const principal = await currentPrincipal();
      if (!principal) throw new ApiError("unauthenticated", "sign in first");
      if (opts.role && !hasRole(principal, opts.role)) throw new ApiError("forbidden", `only ${opts.role}s may do this`);
      return await handler(req, { principal, params: await ctx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}
