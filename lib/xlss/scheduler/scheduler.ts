import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram } from "prom-client";
import { isConflict } from "../../k8s/errors";
import { podRef, type EventRecorder } from "../../k8s/events";
import { registry } from "../../metrics";
import type { SchedulerCache } from "./cache";
import { fitErrorMessage } from "./framework/fit-error";
import type { Framework } from "./framework/framework";
import { CycleState } from "./framework/interfaces";
import { Code, isRejection, isSuccess, type Status } from "./framework/status";
import type { SchedulingQueue } from "./queue";

const attempts = new Counter({
  name: "xlss_scheduler_schedule_attempts_total",
  help: "Scheduling attempts by result (scheduled, unschedulable, error).",
  labelNames: ["result"] as const,
  registers: [registry],
});
const latency = new Histogram({
  name: "xlss_scheduler_scheduling_attempt_duration_seconds",
  help: "Scheduling cycle plus binding cycle of one attempt, by result.",
  labelNames: ["result"] as const,
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
  registers: [registry],
});
export const queueDepth = new Gauge({ name: "xlss_scheduler_pending_pods", help: "Pods waiting in the scheduling queue.", registers: [registry] });

export interface SchedulerDeps {
  cache: Pick<SchedulerCache, "snapshot" | "assume" | "forget">;
  queue: SchedulingQueue;
  framework: Framework;
  events: Pick<EventRecorder, "record">;
  log: Logger;
}

/** "VolumeBinding: provisioning of claim data on n1 failed" */
const reason = (s: Status) => (s.plugin ? `${s.plugin}: ${s.message}` : s.message);

/**
 * The scheduling loop, in kube-scheduler's order. The scheduling cycle, one pod at a time: PreFilter,
 * Filter, (PostFilter if nothing fits), PreScore, Score, NormalizeScore, assume, Reserve, Permit. Then
 * the pod's binding cycle runs asynchronously, so that a slow volume provisioning or a pod held by
 * Permit never holds up other pods: wait on Permit, PreBind, Bind. A failure after Reserve runs
 * every Unreserve in reverse order and forgets the assumed pod before the pod is retried.
 */
export class Scheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener(
      "abort",
      () => {
        this.deps.queue.close();
        for (const waiting of this.deps.framework.waitingPods.list()) waiting.reject("", "the scheduler is shutting down");
      },
      { once: true },
    );
    const binding = new Set<Promise<void>>();
    for (;;) {
      const pod = await this.deps.queue.pop();
      queueDepth.set(this.deps.queue.length);
      if (!pod) break;
      const scheduled = await this.scheduleOne(pod, signal);
      if (!scheduled) continue;
      const p = scheduled.binding.finally(() => binding.delete(p));
      binding.add(p);
    }
    await Promise.allSettled([...binding]);
  }

  /**
   * One scheduling cycle; once a node is chosen, reserved and permitted, it returns the pod's binding
   * cycle, running (wrapped, as an async function would otherwise wait for a promise it returns).
   */
  private async scheduleOne(pod: V1Pod, signal: AbortSignal): Promise<{ binding: Promise<void> } | undefined> {
    const { framework, cache } = this.deps;
    const started = Date.now();
    const state = new CycleState();
    const snapshot = cache.snapshot();
    const { feasible, rejections, aborted } = await framework.findFeasible(state, pod, snapshot);
    if (feasible.length === 0 || aborted) {
      let message = aborted ? `0/${snapshot.nodes.length} nodes are available: ${aborted.message}.` : fitErrorMessage(snapshot.nodes.length, rejections);
      if (aborted?.code !== Code.Error) {
        // As kube-scheduler: PostFilter runs whenever nothing fits; a PreFilter's rejection stands for every node.
        const statuses = aborted ? new Map(snapshot.nodes.map((n) => [n.node.metadata?.name ?? "", aborted])) : rejections;
        const post = await framework.runPostFilter(state, pod, statuses);
        if (post?.code === Code.Error) this.deps.log.warn({ pod: pod.metadata?.name, plugin: post.plugin, err: post.message }, "PostFilter failed");
        else if (post?.message) message += ` ${post.message}`;
      }
      await this.fail(pod, !aborted || isRejection(aborted), message, started);
      return undefined;
    }
    const { host, status: scored } = framework.selectHost(state, pod, feasible);
    if (!host) {
      await this.fail(pod, isRejection(scored), `running Score plugins: ${reason(scored!)}`, started);
      return undefined;
    }
    const nodeName = host.node.metadata?.name ?? "";
    cache.assume(pod, nodeName);
    const reserved = await framework.runReserve(state, pod, nodeName);
    if (!isSuccess(reserved)) {
      await this.undo(state, pod, nodeName);
      await this.fail(pod, isRejection(reserved), `running Reserve plugins on ${nodeName}: ${reason(reserved!)}`, started);
      return undefined;
    }
    const permitted = await framework.runPermit(state, pod, nodeName);
    if (!isSuccess(permitted) && permitted?.code !== Code.Wait) {
      await this.undo(state, pod, nodeName);
      await this.fail(pod, isRejection(permitted), `rejected by Permit on ${nodeName}: ${reason(permitted!)}`, started);
      return undefined;
    }
    return { binding: this.bindingCycle(state, pod, nodeName, started, signal) };
  }

  private async bindingCycle(state: CycleState, pod: V1Pod, nodeName: string, started: number, signal: AbortSignal): Promise<void> {
    const { framework, queue } = this.deps;
    let status = await framework.waitOnPermit(pod);
    if (isSuccess(status)) status = await framework.runPreBind(state, pod, nodeName, signal);
    if (isSuccess(status)) status = await framework.runBind(state, pod, nodeName);
    if (isSuccess(status)) {
      queue.remove(pod);
      const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      await this.deps.events.record(podRef(pod), { type: "Normal", reason: "Scheduled", message: `Successfully assigned ${name} to ${nodeName}` });
      attempts.inc({ result: "scheduled" });
      latency.observe({ result: "scheduled" }, (Date.now() - started) / 1000);
      return;
    }
    await this.undo(state, pod, nodeName);
    // 409: bound meanwhile (by us before a restart) or re-created under the same name: the informer settles it.
    // A shutdown is not the pod's failure: the next leader takes it up.
    if (isConflict(status!.cause) || signal.aborted) {
      queue.remove(pod);
      return;
    }
    // The room it held is free again, for pods parked for want of it.
    queue.moveAllToActive();
    this.deps.log.warn({ pod: pod.metadata?.name, namespace: pod.metadata?.namespace, node: nodeName, err: reason(status!) }, "binding failed; retrying");
    // Retried after its backoff, never parked: cluster events during the binding cycle are not
    // tracked for it, and the one that would have helped may already have passed.
    await this.fail(pod, false, `binding to ${nodeName} failed: ${reason(status!)}`, started);
  }

  /** Undoes what the scheduling cycle reserved for the pod: every Unreserve, in reverse order, and the assumption. */
  private async undo(state: CycleState, pod: V1Pod, nodeName: string): Promise<void> {
    await this.deps.framework.runUnreserve(state, pod, nodeName);
    this.deps.cache.forget(pod);
  }

  /** FailedScheduling, then back to the queue: parked until the cluster changes if rejected, else after a backoff. */
  private async fail(pod: V1Pod, rejected: boolean, message: string, started: number): Promise<void> {
    const result = rejected ? "unschedulable" : "error";
    await this.deps.events.record(podRef(pod), { type: "Warning", reason: "FailedScheduling", message });
    this.deps.queue.requeue(pod, result === "unschedulable");
    attempts.inc({ result });
    latency.observe({ result }, (Date.now() - started) / 1000);
  }
}
