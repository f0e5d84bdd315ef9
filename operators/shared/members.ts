import type { V1Pod } from "@kubernetes/client-node";
import type { RollMember } from "./rollout";
import type { MemberStatus } from "./types";

/** A member as a reconciler sees it: its status entry, its place in a roll, and its pod if any. */
export interface Member extends MemberStatus, RollMember {
  pod?: V1Pod;
}

/** The member's entry in status.members (without the reconciler's own fields). */
export function memberStatus(m: Member): MemberStatus {
  return {
    name: m.name,
    role: m.role,
    ...(m.id !== undefined ? { id: m.id } : {}),
    ...(m.node ? { node: m.node } : {}),
    ...(m.zone ? { zone: m.zone } : {}),
    ready: m.ready,
    ...(m.version ? { version: m.version } : {}),
    upToDate: m.upToDate,
  };
}

/** The pods of `members` by name (those that exist). */
export const podsByName = (members: readonly Member[]): Map<string, V1Pod> => new Map(members.flatMap((m) => (m.pod ? [[m.name, m.pod] as const] : [])));

/** The StatefulSet (and PodDisruptionBudget) a member belongs to: its name without the ordinal. */
export const setOf = (member: { name: string }): string => member.name.slice(0, member.name.lastIndexOf("-"));
