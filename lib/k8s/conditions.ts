/**
 * A status condition as Kubernetes API conventions define it (metav1.Condition): one per `type`,
 * `lastTransitionTime` changes only when `status` does, `observedGeneration` says which spec it
 * describes.
 */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  /** UpperCamelCase cause, e.g. AllMembersReady. */
  reason: string;
  /** Words for a person; may be empty. */
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** A condition to set: everything but the time, which {@link setCondition} manages. */
export type ConditionInput = Omit<Condition, "lastTransitionTime" | "observedGeneration">;

/**
 * Returns `conditions` with `input` set for `generation`: a condition of the same type is replaced,
 * keeping its `lastTransitionTime` unless the status changed (then it becomes `now`). Order is kept,
 * a new type is appended. The input list is not modified.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  generation: number | undefined,
  now: Date = new Date(),
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === input.type);
  const previous = i >= 0 ? list[i] : undefined;
  const next: Condition = {
    ...input,
    lastTransitionTime: previous && previous.status === input.status ? previous.lastTransitionTime : now.toISOString(),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

/** The condition of `type`, if set. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** True when the condition of `type` is set to True. */
export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === "True";
}
