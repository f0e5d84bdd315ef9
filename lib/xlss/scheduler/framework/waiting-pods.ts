import type { V1Pod } from "@kubernetes/client-node";
import { Status, type MaybeStatus } from "./status";

/** The longest a Permit plugin may hold a pod, as in kube-scheduler. */
export const MAX_PERMIT_WAIT_MS = 15 * 60_000;

/**
 * A pod that Permit plugins asked to wait for, between its scheduling cycle and its binding
 * cycle (kube-scheduler's waitingPod). Each waiting plugin must `allow` it; one `reject`, or one
 * plugin's timeout, rejects it. The first verdict settles `verdict`; later calls do nothing.
 */
export class WaitingPod {
  /** Success once every plugin allowed; Unschedulable, naming the plugin, when one rejected or timed out. */
  readonly verdict: Promise<MaybeStatus>;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private settle!: (status: MaybeStatus) => void;

  constructor(
    readonly pod: V1Pod,
    readonly nodeName: string,
    /** Plugin name → how long it may hold the pod (ms). */
    waits: Map<string, number>,
  ) {
    this.verdict = new Promise((resolve) => (this.settle = resolve));
    for (const [plugin, ms] of waits) {
      this.pending.set(plugin, setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${ms}ms at plugin ${plugin}`), ms));
    }
  }

  /** The plugins that have not allowed the pod yet. */
  get pendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  allow(plugin: string): void {
    const timer = this.pending.get(plugin);
    if (!timer) return;
    clearTimeout(timer);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.settle(undefined);
  }

  reject(plugin: string, message: string): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    const status = Status.unschedulable(message);
    status.plugin = plugin;
    this.settle(status);
  }
}

/**
 * The pods waiting on Permit, by uid. Plugins reach it through the scheduler handle to allow or
 * reject pods later (e.g. once the rest of a group has arrived); the scheduler rejects a waiting pod
 * that was deleted, and all of them when it shuts down.
 */
export class WaitingPods {
  private readonly pods = new Map<string, WaitingPod>();

  add(wp: WaitingPod): void {
    this.pods.set(wp.pod.metadata?.uid ?? "", wp);
  }

  remove(uid: string): void {
    this.pods.delete(uid);
  }

  get(uid: string): WaitingPod | undefined {
    return this.pods.get(uid);
  }

  list(): WaitingPod[] {
    return [...this.pods.values()];
  }

  /** Rejects one waiting pod on behalf of `plugin`; a pod not waiting is ignored. */
  reject(uid: string, plugin: string, message: string): void {
    this.pods.get(uid)?.reject(plugin, message);
  }
}
