// GET /api/requests?status=pending&kind=&namespace=&name=: requests the caller may see. POST /api/requests: submit one.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { requestInput, requestList, statusFilter, submitRequest } from "@/lib/console/requests";

export const GET = apiRoute(async (req, { principal }) => {
  const query = new URL(req.url).searchParams;
  const given = query.getAll("status").filter(Boolean);
  const status = statusFilter.parse(given.length ? given : undefined);
  const only = (key: string) => query.get(key) ?? undefined;
  return NextResponse.json(await requestList(principal, { status, kind: only("kind"), namespace: only("namespace"), name: only("name") }));
});

export const POST = apiRoute(async (req, { principal }) => NextResponse.json(await submitRequest(principal, requestInput.parse(await req.json())), { status: 201 }));
