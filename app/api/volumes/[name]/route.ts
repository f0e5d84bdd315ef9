// GET /api/volumes/:name: one volume with its backup history and restores.
import { NextResponse } from "next/server";
import { ApiError } from "@/lib/auth/errors";
import { apiRoute } from "@/lib/auth/guard";
import { volumeDetail } from "@/lib/console/storage";

export const GET = apiRoute<{ name: string }>(async (_req, { principal, params }) => {
  const detail = await volumeDetail(principal, params.name);
  if (!detail) throw new ApiError("not-found", `no volume ${params.name}`);
  return NextResponse.json(detail);
});
