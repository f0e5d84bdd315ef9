// GET /api/backups: the newest backup runs the caller may see.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { recentBackups } from "@/lib/console/storage";

export const GET = apiRoute(async (_req, { principal }) => NextResponse.json(await recentBackups(principal)));
