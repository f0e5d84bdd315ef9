// GET /api/clusters: every middleware cluster the caller may see, from the watch cache.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { clusterList } from "@/lib/console/clusters";

export const GET = apiRoute(async (_req, { principal }) => NextResponse.json(await clusterList(principal)));
