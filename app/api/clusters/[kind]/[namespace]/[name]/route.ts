// GET /api/clusters/:kind/:namespace/:name: members, endpoints, conditions and Events of one cluster.
import { NextResponse } from "next/server";
import { ApiError } from "@/lib/auth/errors";
import { apiRoute } from "@/lib/auth/guard";
import { clusterDetail } from "@/lib/console/clusters";

export const GET = apiRoute<{ kind: string; namespace: string; name: string }>(async (_req, { principal, params }) => {
  const detail = await clusterDetail(principal, params.kind, params.namespace, params.name);
  if (!detail) throw new ApiError("not-found", `no ${params.kind} ${params.namespace}/${params.name}`);
  return NextResponse.json(detail);
});
