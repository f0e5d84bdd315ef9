import type { V1Node, V1Pod } from "@kubernetes/client-node";
import type { MaybeStatus, Status } from "./status";

/** Per-cycle scratch space: PreFilter stores what Filter and Score reuse, keyed by plugin. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  write<T>(key: string, value: T): void {
    this.data.set(key, value);
  }
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

/** A node with the pods placed on it (bound or assumed) and what they request. */
export interface NodeInfo {
  node: V1Node;
  pods: V1Pod[];
  /** Summed requests of `pods`: cpu in millicores, memory in bytes, plus pods count and extended resources. */
  requested: Record<string, number>;
  /** The node's allocatable resources in the same units. */
  allocatable: Record<string, number>;
}

/** The nodes one cycle decides over, consistent for the whole cycle. */
export interface Snapshot {
  nodes: NodeInfo[];
  get(name: string): NodeInfo | undefined;
}

export interface Plugin {
  readonly name: string;
}

/** A pod in the scheduling queue, as QueueSort plugins see it. */
export interface QueuedPodInfo {
  pod: V1Pod;
  /** When the pod entered the queue, or went back into it after a failed attempt (ms since the epoch). */
  timestamp: number;
  /** Failed scheduling attempts so far. */
  attempts: number;
}

/** Orders the scheduling queue; a profile has exactly one. */
export interface QueueSortPlugin extends Plugin {
  /** True if `a` is to be scheduled before `b`. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: V1Pod, snapshot: Snapshot): Promise<MaybeStatus> | MaybeStatus;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: V1Pod, node: NodeInfo): MaybeStatus;
}

export interface PostFilterPlugin extends Plugin {
  /**
   * Called when no node fits (kube-scheduler does preemption here), with why each node was rejected.
   * Success: the plugin made room, and the pod's next attempt may fit; Unschedulable: it could not
   * help, and its message joins the FailedScheduling event. The pod goes back to the queue either way.
   */
  postFilter(state: CycleState, pod: V1Pod, rejections: ReadonlyMap<string, Status>): Promise<MaybeStatus> | MaybeStatus;
}

export interface PreScorePlugin extends Plugin {
  /** Once per cycle before Score, with the feasible nodes; Skip: this plugin's Score is not called for the pod. */
  preScore(state: CycleState, pod: V1Pod, nodes: NodeInfo[]): MaybeStatus;
}

/** One node's score from one plugin, as NormalizeScore sees it. */
export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  /** 0 (worst) … 100 (best) for `node`; any number if the plugin normalizes its scores. */
  score(state: CycleState, pod: V1Pod, node: NodeInfo): number;
  /**
   * Optional (kube-scheduler's ScoreExtensions): rewrites this plugin's raw scores of all feasible
   * nodes in place once they are all known, e.g. relative to the best one. They must end in 0–100.
   */
  normalizeScore?(state: CycleState, pod: V1Pod, scores: NodeScore[]): MaybeStatus;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus> | MaybeStatus;
  /**
   * Undoes `reserve` when a later phase fails. Called on every Reserve plugin of the profile, in
   * reverse order, even one whose `reserve` was not reached or failed: it must be idempotent.
   */
  unreserve(state: CycleState, pod: V1Pod, nodeName: string): Promise<void> | void;
}

/** A Permit verdict; `timeoutMs` only counts with Wait (at most 15 minutes). */
export interface PermitResult {
  status: MaybeStatus;
  timeoutMs?: number;
}

export interface PermitPlugin extends Plugin {
  /**
   * The last word before binding. Success allows the pod; Unschedulable rejects it; Wait holds it
   * until the plugin (or anyone holding the handle) allows or rejects it through `WaitingPods`, or
   * until `timeoutMs` passes, which rejects it. The binding cycle waits; the next pod does not.
   */
  permit(state: CycleState, pod: V1Pod, nodeName: string): Promise<PermitResult> | PermitResult;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: V1Pod, nodeName: string, signal: AbortSignal): Promise<MaybeStatus>;
}

export interface BindPlugin extends Plugin {
  /** Binds, or returns Skip to let the next bind plugin do it. */
  bind(state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus>;
}

export const implementsQueueSort = (p: Plugin): p is QueueSortPlugin => "less" in p;
export const implementsPreFilter = (p: Plugin): p is PreFilterPlugin => "preFilter" in p;
export const implementsFilter = (p: Plugin): p is FilterPlugin => "filter" in p;
export const implementsPostFilter = (p: Plugin): p is PostFilterPlugin => "postFilter" in p;
export const implementsPreScore = (p: Plugin): p is PreScorePlugin => "preScore" in p;
export const implementsScore = (p: Plugin): p is ScorePlugin => "score" in p;
export const implementsReserve = (p: Plugin): p is ReservePlugin => "reserve" in p;
export const implementsPermit = (p: Plugin): p is PermitPlugin => "permit" in p;
export const implementsPreBind = (p: Plugin): p is PreBindPlugin => "preBind" in p;
export const implementsBind = (p: Plugin): p is BindPlugin => "bind" in p;
