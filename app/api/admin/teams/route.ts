// POST /api/admin/teams {name, namespaces, members}: create or extend a team. Admins only.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { adminOverview, teamAction, teamInput } from "@/lib/console/admin";

export const POST = apiRoute(
  async (req, { principal }) => {
    await teamAction(principal, teamInput.parse(await req.json()));
    return NextResponse.json(await adminOverview());
  },
  { role: "admin" },
);
