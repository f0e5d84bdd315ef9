// POST /api/volumes/:name/backups: back up now (an XlssBackup with trigger Manual).
import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/auth/guard";
import { backUpNow } from "@/lib/console/storage-actions";

export const POST = apiRoute<{ name: string }>(async (_req, { principal, params }) => NextResponse.json(await backUpNow(principal, params.name), { status: 201 }));
