import type { V1Node, V1Pod } from "@kubernetes/client-node";
import type { MaybeStatus } from "./status";

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

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: V1Pod, snapshot: Snapshot): Promise<MaybeStatus> | MaybeStatus;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: V1Pod, node: NodeInfo): MaybeStatus;
}

export interface ScorePlugin extends Plugin {
  /** 0 (worst) … 100 (best) for `node`. */
  score(state: CycleState, pod: V1Pod, node: NodeInfo): number;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus> | MaybeStatus;
  unreserve(state: CycleState, pod: V1Pod, nodeName: string): Promise<void> | void;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: V1Pod, nodeName: string, signal: AbortSignal): Promise<MaybeStatus>;
}

export interface BindPlugin extends Plugin {
  /** Binds, or returns Skip to let the next bind plugin do it. */
  bind(state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus>;
}

export const implementsPreFilter = (p: Plugin): p is PreFilterPlugin => "preFilter" in p;
export const implementsFilter = (p: Plugin): p is FilterPlugin => "filter" in p;
export const implementsScore = (p: Plugin): p is ScorePlugin => "score" in p;
export const implementsReserve = (p: Plugin): p is ReservePlugin => "reserve" in p;
export const implementsPreBind = (p: Plugin): p is PreBindPlugin => "preBind" in p;
export const implementsBind = (p: Plugin): p is BindPlugin => "bind" in p;
