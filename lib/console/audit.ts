import "server-only";
import { listAudit } from "@/db/audit";
import { consoleDatabase } from "@/db/console";
import { canSeeNamespace, type Principal } from "@/lib/auth/principal";

export interface AuditView {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: Record<string, unknown>;
}

/**
 * The namespace of an audit target (`<kind>/<namespace>/<name>`), or undefined for targets outside
 * namespaces (`user/<name>`, `team/<name>`).
 */
export function targetNamespace(target: string): string | undefined {
  const parts = target.split("/");
  return parts.length === 3 ? parts[1] : undefined;
}

/**
 * The newest audit rows the principal may read: approvers and admins read everything; members read
 * what happened in their teams' namespaces and their own sign-ins.
 */
export async function auditLog(principal: Principal, limit = 200): Promise<AuditView[]> {
  const rows = await listAudit(consoleDatabase().db, { limit: principal.namespaces === "all" ? limit : limit * 5 });
  return rows
    .filter((r) => {
      if (principal.namespaces === "all") return true;
      const ns = targetNamespace(r.target);
      return ns ? canSeeNamespace(principal, ns) : r.target === `user/${principal.username}`;
    })
    .slice(0, limit)
    .map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, detail: r.detail }));
}
