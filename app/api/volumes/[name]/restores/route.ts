// POST /api/volumes/:name/restores {snapshot, force}: restore a snapshot into the volume (approvers).
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { restoreInput, restoreVolume } from "@/lib/console/storage-actions";

export const POST = apiRoute<{ name: string }>(
  async (req, { principal, params }) => NextResponse.json(await restoreVolume(principal, params.name, restoreInput.parse(await req.json())), { status: 201 }),
  { role: "approver" },
);
