// GET /api/requests/:id: one request with comments and, while pending, the diff it would apply.
import { NextResponse } from "next/server";
import { ApiError } from "@/lib/auth/errors";
import { apiRoute } from "@/lib/auth/guard";
import { requestDetail } from "@/lib/console/requests";

export const GET = apiRoute<{ id: string }>(async (_req, { principal, params }) => {
  const detail = await requestDetail(principal, Number(params.id));
  if (!detail) throw new ApiError("not-found", `no request ${params.id}`);
  return NextResponse.json(detail);
});
