// POST /api/requests/:id/decision {approve, comment}: approve (and apply) or reject; approvers only.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { decide, decisionInput } from "@/lib/console/requests";

export const POST = apiRoute<{ id: string }>(
  async (req, { principal, params }) => NextResponse.json(await decide(principal, Number(params.id), decisionInput.parse(await req.json()))),
  { role: "approver" },
);
