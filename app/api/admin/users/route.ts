// GET /api/admin/users: users and teams. POST: add a user. PUT {username, role}: change a role. Admins only.
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { adminOverview, createUserAction, newUserInput, roleInput, setRoleAction } from "@/lib/console/admin";

export const GET = apiRoute(async () => NextResponse.json(await adminOverview()), { role: "admin" });

export const POST = apiRoute(
  async (req, { principal }) => {
    await createUserAction(principal, newUserInput.parse(await req.json()));
    return NextResponse.json(await adminOverview(), { status: 201 });
  },
  { role: "admin" },
);

export const PUT = apiRoute(
  async (req, { principal }) => {
    await setRoleAction(principal, roleInput.parse(await req.json()));
    return NextResponse.json(await adminOverview());
  },
  { role: "admin" },
);
