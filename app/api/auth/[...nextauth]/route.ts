// /api/auth/*: next-auth's sign-in, callback, session, CSRF-token and sign-out endpoints.
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx): Promise<Response> {
  return (await NextAuth(req as never, ctx as never, await authOptions())) as Response;
}

export { handler as GET, handler as POST };
