// POST /api/requests/:id/comments {body}: comment on a request the caller may see.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { comment, commentInput } from "@/lib/console/requests";

export const POST = apiRoute<{ id: string }>(async (req, { principal, params }) => {
  await comment(principal, Number(params.id), commentInput.parse(await req.json()).body);
  return NextResponse.json({ ok: true }, { status: 201 });
});
