// POST /api/requests/dry-run {manifest}: what the API server says about a manifest, storing nothing.
import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/auth/guard";
import { dryRun } from "@/lib/console/requests";

const input = z.object({ manifest: z.record(z.string(), z.unknown()) });

export const POST = apiRoute(async (req, { principal }) => NextResponse.json(await dryRun(principal, input.parse(await req.json()).manifest)));
