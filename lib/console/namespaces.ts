import "server-only";
import { consoleDatabase } from "@/db/console";
import { namespaceOwners } from "@/db/users";
import type { Principal } from "@/lib/auth/principal";

/** Namespaces the principal may request in: a member's teams', or every team-owned one for approvers and admins. */
export async function requestableNamespaces(principal: Principal): Promise<string[]> {
  if (principal.namespaces !== "all") return [...principal.namespaces].sort();
  return [...(await namespaceOwners(consoleDatabase().db)).keys()].sort();
}
