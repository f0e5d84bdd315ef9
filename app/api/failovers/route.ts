// GET /api/failovers: failover incidents the caller may see, newest first.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { failoverList } from "@/lib/console/failovers";

export const GET = apiRoute(async (_req, { principal }) => NextResponse.json(await failoverList(principal)));
