import type { V1Pod } from "@kubernetes/client-node";
import type { QueuedPodInfo } from "./framework/interfaces";

/** Backoff of a pod that failed to schedule: 1 s doubling per attempt, at most 10 s (kube-scheduler's defaults). */
export const backoffMs = (attempts: number) => Math.min(1000 * 2 ** Math.max(0, attempts - 1), 10_000);

interface Entry extends QueuedPodInfo {
  /** Not before this time (backoff). */
  readyAt: number;
}

const keyOf = (pod: V1Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/**
 * Pods waiting to be scheduled. `pop` hands out the ready pod that comes first in the profile's
 * QueueSort order (PrioritySort by default: priority, then time in the queue); a pod that failed
 * waits out its backoff; pods found unschedulable stay parked until `moveAllToActive` says the
 * cluster changed in a way that may help them.
 */
export class SchedulingQueue {
  /** `less(a, b)`: a goes first; for equals, the pod that entered the map first. */
  constructor(private readonly less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean) {}

  private readonly entries = new Map<string, Entry>();
  private readonly parked = new Set<string>();
  /** Handed out by pop and not yet requeued or removed: never handed out twice. */
  private readonly inFlight = new Set<string>();
  private waiter: (() => void) | undefined;
  private closed = false;

  /** Adds or refreshes a pending pod; a pod already known keeps its attempt count and place. */
  add(pod: V1Pod): void {
    const key = keyOf(pod);
    const known = this.entries.get(key);
    this.entries.set(key, known ? { ...known, pod } : { pod, timestamp: Date.now(), attempts: 0, readyAt: 0 });
    if (!known) this.wake();
  }

  /** The pod was scheduled, deleted, or bound elsewhere. */
  remove(pod: V1Pod): void {
    this.entries.delete(keyOf(pod));
    this.parked.delete(keyOf(pod));
    this.inFlight.delete(keyOf(pod));
  }

  /** Back in line after a failure: after its backoff, or (unschedulable) after a relevant cluster event. */
  requeue(pod: V1Pod, unschedulable: boolean): void {
    const key = keyOf(pod);
    const e = this.entries.get(key);
    this.inFlight.delete(key);
    if (!e) return;
    e.attempts++;
    // Behind the pods of its priority that have been waiting meanwhile, as in kube-scheduler.
    e.timestamp = Date.now();
    e.readyAt = e.timestamp + backoffMs(e.attempts);
    if (unschedulable) this.parked.add(key);
    this.wake();
  }

  /** A node, pod, volume or capacity changed: give every parked pod another try (after its backoff). */
  moveAllToActive(): void {
    if (this.parked.size === 0) return;
    this.parked.clear();
    this.wake();
  }

  get length(): number {
    return this.entries.size;
  }

  /** The next pod to schedule, waiting until one is ready; undefined once closed. */
  async pop(): Promise<V1Pod | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const now = Date.now();
      let best: [string, Entry] | undefined;
      let nextReady = Infinity;
      for (const [key, e] of this.entries) {
        if (this.parked.has(key) || this.inFlight.has(key)) continue;
        if (e.readyAt > now) {
          nextReady = Math.min(nextReady, e.readyAt);
          continue;
        }
        if (!best || this.less(e, best[1])) best = [key, e];
      }
      if (best) {
        this.inFlight.add(best[0]);
        return best[1].pod;
      }
      await new Promise<void>((resolve) => {
        const t = nextReady === Infinity ? undefined : setTimeout(resolve, nextReady - now);
        this.waiter = () => (t && clearTimeout(t), resolve());
      });
      this.waiter = undefined;
    }
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    this.waiter?.();
  }
}
