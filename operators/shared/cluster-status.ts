import { setCondition, type Condition } from "../../lib/k8s/conditions";
import type { Member } from "./members";
import type { RollStep } from "./rollout";
import type { StorageGrowthStatus } from "./storage-growth";

/** The phase every kind reports: Creating until first ready, then Running, Updating or Degraded. */
export type ClusterPhase = "Creating" | "Running" | "Updating" | "Degraded";

/** What the conditions are computed from. */
export interface ClusterObservation {
  previous?: { phase?: string; conditions?: Condition[] };
  generation?: number;
  members: readonly Member[];
  roll: RollStep;
  /** "3/3 brokers and 3/3 controllers ready": the Ready condition's message. */
  readiness: string;
  /** Words for the roll in the Progressing message ("upgrading to Kafka 4.2.0"), and whether it is an upgrade. */
  change: { what: string; upgrading: boolean; order: string };
  /** Why the operator will not carry out the spec (Progressing=False with this reason and message), if it will not. */
  refused?: { reason: string; message: string };
  now: Date;
  /** A member not ready for longer than this since its pod was created makes the cluster Degraded. */
  startupGraceMs: number;
  /** Volumes growing (Progressing, reason Resizing) or failing to (Degraded, reason VolumeResizeFailed). */
  storage?: StorageGrowthStatus;
}

/**
 * The three conditions and the phase of a middleware cluster:
 * Ready: every member is ready;
 * Progressing: the operator is moving the cluster to its spec (creating, restarting members in
 * order, members starting, volumes growing), or False when it has (Reconciled) or will not (the
 * refusal's reason);
 * Degraded: a member has been down longer than a start takes, or a volume could not grow.
 * Conditions carry the generation they describe and keep their transition time while their status
 * stays, so an unchanged cluster gives an unchanged status.
 */
export function clusterConditions(obs: ClusterObservation): { conditions: Condition[]; phase: ClusterPhase } {
  const { members, roll } = obs;
  let conditions: Condition[] = obs.previous?.conditions ?? [];
  const set = (type: string, status: Condition["status"], reason: string, message: string) => {
    conditions = setCondition(conditions, { type, status, reason, message }, obs.generation, obs.now);
  };
  const allReady = members.every((m) => m.ready);
  const stuck = members.filter(
    (m) => m.present && !m.ready && obs.now.getTime() - new Date(m.pod?.metadata?.creationTimestamp ?? obs.now).getTime() > obs.startupGraceMs,
  );
  set("Ready", allReady ? "True" : "False", allReady ? "AllMembersReady" : "MembersNotReady", obs.readiness);

  const wasCreating = obs.previous?.phase === undefined || obs.previous.phase === "Creating";
  if (obs.refused) {
    set("Progressing", "False", obs.refused.reason, obs.refused.message);
  } else if (roll.action !== "none") {
    const detail = roll.action === "restart" ? `restarting ${roll.member.name}` : `waiting: ${roll.reason}`;
    set("Progressing", "True", obs.change.upgrading ? "Upgrading" : "RollingRestart", `${obs.change.what}, one member at a time (${obs.change.order}): ${roll.remaining} left; ${detail}`);
  } else if (!allReady) {
    set("Progressing", "True", wasCreating ? "Creating" : "MembersStarting", obs.readiness);
  } else if (obs.storage?.progressing) {
    set("Progressing", "True", "Resizing", obs.storage.progressing);
  } else {
    set("Progressing", "False", "Reconciled", `the cluster matches generation ${obs.generation ?? 0}`);
  }
  const resizeFailed = obs.storage?.failed;
  set(
    "Degraded",
    stuck.length || resizeFailed ? "True" : "False",
    stuck.length ? "MembersDown" : resizeFailed ? "VolumeResizeFailed" : "AsExpected",
    stuck.length
      ? `not ready for more than ${Math.round(obs.startupGraceMs / 1000)} s: ${stuck.map((m) => `${m.name}${m.node ? ` on ${m.node}` : " (unscheduled)"}`).join(", ")}`
      : (resizeFailed ?? ""),
  );
  const resizing = obs.storage?.progressing !== undefined;
  const phase: ClusterPhase =
    stuck.length || resizeFailed ? "Degraded" : allReady && roll.action === "none" && !resizing ? "Running" : !allReady && wasCreating ? "Creating" : "Updating";
  return { conditions, phase };
}

/** The oldest of the versions members run (`order` lists versions oldest first), and whether they differ from `target`. */
export function oldestVersion(members: readonly Member[], order: readonly string[], target: string): { version?: string; upgrading: boolean } {
  const versions = [...new Set(members.map((m) => m.version).filter((v): v is string => v !== undefined))].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const version = versions[0];
  return { version, upgrading: versions.length > 1 || (version !== undefined && version !== target) };
}
