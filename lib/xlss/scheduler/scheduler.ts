import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram } from "prom-client";
import type { KubeClients } from "../../k8s/client";
import { apiMessage, isConflict } from "../../k8s/errors";
import { podRef, type EventRecorder } from "../../k8s/events";
import { registry } from "../../metrics";
import type { SchedulerCache } from "./cache";
import { fitErrorMessage } from "./framework/fit-error";
import type { Framework } from "./framework/framework";
import { CycleState, type PreBindPlugin } from "./framework/interfaces";
import { Code, isSuccess } from "./framework/status";
import type { SchedulingQueue } from "./queue";

const attempts = new Counter({
  name: "xlss_scheduler_schedule_attempts_total",
  help: "Scheduling attempts by result (scheduled, unschedulable, error).",
  labelNames: ["result"] as const,
  registers: [registry],
});
const latency = new Histogram({
  name: "xlss_scheduler_scheduling_attempt_duration_seconds",
  help: "Scheduling cycle plus binding of one attempt.",
  labelNames: ["result"] as const,
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
  registers: [registry],
});
export const queueDepth = new Gauge({ name: "xlss_scheduler_pending_pods", help: "Pods waiting in the scheduling queue.", registers: [registry] });

export interface SchedulerDeps {
  clients: KubeClients;
  cache: SchedulerCache;
  queue: SchedulingQueue;
  framework: Framework;
  preBind: PreBindPlugin[];
  events: EventRecorder;
  name: string;
  log: Logger;
}


/**
 * The scheduling loop: one pod at a time through the scheduling cycle (filter, score, assume), then
 * its binding cycle (PreBind, Bind) runs asynchronously so that a slow volume provisioning never
 * holds up other pods. The binding uses the pod's uid, so a pod re-created under the same name is
 * never bound by a decision made for its predecessor.
 */
export class Scheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener("abort", () => this.deps.queue.close(), { once: true });
    const binding = new Set<Promise<void>>();
    for (;;) {
      const pod = await this.deps.queue.pop();
      queueDepth.set(this.deps.queue.length);
      if (!pod) break;
      const started = Date.now();
      const state = new CycleState();
      const snapshot = this.deps.cache.snapshot();
      const { feasible, rejections, aborted } = await this.deps.framework.findFeasible(state, pod, snapshot);
      const host = aborted ? undefined : this.deps.framework.selectHost(state, pod, feasible);
      if (!host) {
        const message = aborted ? `0/${snapshot.nodes.length} nodes are available: ${aborted.message}.` : fitErrorMessage(snapshot.nodes.length, rejections);
        const isError = aborted?.code === Code.Error;
        await this.deps.events.record(podRef(pod), { type: "Warning", reason: "FailedScheduling", message });
        this.deps.queue.requeue(pod, !isError);
        attempts.inc({ result: isError ? "error" : "unschedulable" });
        latency.observe({ result: "unschedulable" }, (Date.now() - started) / 1000);
        continue;
      }
      const nodeName = host.node.metadata?.name ?? "";
      this.deps.cache.assume(pod, nodeName);
      const p = this.bind(state, pod, nodeName, started, signal).finally(() => binding.delete(p));
      binding.add(p);
    }
    await Promise.allSettled([...binding]);
  }

  private async bind(state: CycleState, pod: V1Pod, nodeName: string, started: number, signal: AbortSignal): Promise<void> {
    const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    try {
      for (const p of this.deps.preBind) {
        const status = await p.preBind(state, pod, nodeName, signal);
        if (!isSuccess(status)) throw new Error(`${p.name}: ${status?.message}`);
      }
      await this.deps.clients.core.createNamespacedPodBinding({
        name: pod.metadata?.name ?? "",
        namespace: pod.metadata?.namespace ?? "",
        body: {
          apiVersion: "v1",
          kind: "Binding",
          metadata: { name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace, uid: pod.metadata?.uid },
          target: { apiVersion: "v1", kind: "Node", name: nodeName },
        },
      });
      this.deps.queue.remove(pod);
      await this.deps.events.record(podRef(pod), { type: "Normal", reason: "Scheduled", message: `Successfully assigned ${name} to ${nodeName}` });
      attempts.inc({ result: "scheduled" });
      latency.observe({ result: "scheduled" }, (Date.now() - started) / 1000);
    } catch (err) {
      this.deps.cache.forget(pod);
      // 409: bound meanwhile (by us before a restart, or deleted): the informer settles it.
      if (isConflict(err)) {
        this.deps.queue.remove(pod);
        return;
      }
      const message = `binding to ${nodeName} failed: ${apiMessage(err)}`;
      await this.deps.events.record(podRef(pod), { type: "Warning", reason: "FailedScheduling", message });
      this.deps.log.warn({ pod: name, node: nodeName, err: message }, "binding failed; retrying");
      this.deps.queue.requeue(pod, false);
      attempts.inc({ result: "error" });
    }
  }
}
