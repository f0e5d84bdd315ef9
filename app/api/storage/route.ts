// GET /api/storage: pools of every node and the volumes the caller may see, with backup standing.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { storageOverview } from "@/lib/console/storage";

export const GET = apiRoute(async (_req, { principal }) => NextResponse.json(await storageOverview(principal)));
