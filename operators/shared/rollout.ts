/** One member of a rolling restart, as observed. */
export interface RollMember {
  /** Pod name. */
  name: string;
  /** Restart order: lower groups go first (e.g. controllers 0, brokers 1). */
  group: number;
  ordinal: number;
  /** Whether the pod exists at all (a missing member is being re-created). */
  present: boolean;
  ready: boolean;
  terminating: boolean;
  /** False while it runs an older template and awaits its restart. */
  upToDate: boolean;
  /**
   * Whether its StatefulSet's controller has seen the current template (status.observedGeneration
   * caught up with the apply): with OnDelete a re-created pod takes the newest template that
   * controller knows, so a restart before then would bring the old template back.
   */
  templateObserved: boolean;
}

export type RollStep<M extends RollMember = RollMember> =
  | { action: "none" }
  /** Restart this member now. */
  | { action: "restart"; member: M; remaining: number }
  /** Members await a restart, but one is down; wait for it (never two down at once). */
  | { action: "wait"; reason: string; remaining: number };

/**
 * The next step of a rolling restart of `members` (every member that should exist, present or not):
 * one member at a time, only when all are present, ready and none is terminating, and the
 * member's StatefulSet has seen its new template; lower groups first, then the highest ordinal
 * first (as the StatefulSet controller does), so the member that most likely leads (ordinal 0)
 * moves last. Pure: derived from observed state alone, so a restart
 * of the operator picks the roll up where it was.
 */
export function nextRestart<M extends RollMember>(members: readonly M[]): RollStep<M> {
  const outdated = members.filter((m) => m.present && !m.upToDate);
  if (outdated.length === 0) return { action: "none" };
  const down = members.find((m) => !m.present || !m.ready || m.terminating);
  if (down) {
    const why = !down.present ? "is being created" : down.terminating ? "is terminating" : "is not ready";
    return { action: "wait", reason: `${down.name} ${why}`, remaining: outdated.length };
  }
  const [member] = [...outdated].sort((a, b) => a.group - b.group || b.ordinal - a.ordinal);
  if (!member!.templateObserved) return { action: "wait", reason: `the StatefulSet of ${member!.name} has not seen its new template yet`, remaining: outdated.length };
  return { action: "restart", member: member!, remaining: outdated.length };
}
