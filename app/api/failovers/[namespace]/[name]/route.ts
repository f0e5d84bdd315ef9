// GET /api/failovers/:namespace/:name: one incident with its timeline and Events.
import { NextResponse } from "next/server";
import { ApiError } from "@/lib/auth/errors";
import { apiRoute } from "@/lib/auth/guard";
import { failoverDetail } from "@/lib/console/failovers";

export const GET = apiRoute<{ namespace: string; name: string }>(async (_req, { principal, params }) => {
  const detail = await failoverDetail(principal, params.namespace, params.name);
  if (!detail) throw new ApiError("not-found", `no failover ${params.namespace}/${params.name}`);
  return NextResponse.json(detail);
});
