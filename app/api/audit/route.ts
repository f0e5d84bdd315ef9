// GET /api/audit: the newest audit rows the caller may read.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { auditLog } from "@/lib/console/audit";

export const GET = apiRoute(async (_req, { principal }) => NextResponse.json(await auditLog(principal)));
