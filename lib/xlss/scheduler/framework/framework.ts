import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { Histogram } from "prom-client";
import { log as rootLog } from "../../../log";
import { registry } from "../../../metrics";
import type {
  BindPlugin,
  CycleState,
  FilterPlugin,
  NodeInfo,
  NodeScore,
  PermitPlugin,
  PostFilterPlugin,
  PreBindPlugin,
  PreFilterPlugin,
  PreScorePlugin,
  QueuedPodInfo,
  QueueSortPlugin,
  ReservePlugin,
  ScorePlugin,
  Snapshot,
} from "./interfaces";
import { Code, isRejection, isSuccess, Status, type MaybeStatus } from "./status";
import { MAX_PERMIT_WAIT_MS, WaitingPod, WaitingPods } from "./waiting-pods";

const pluginSeconds = new Histogram({
  name: "xlss_scheduler_plugin_execution_duration_seconds",
  help: "Time one plugin spent at one extension point (Filter and Score summed over the nodes of one cycle); QueueSort is not timed.",
  labelNames: ["plugin", "extension_point"] as const,
  buckets: [0.00001, 0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 10, 60],
  registers: [registry],
});

/** The outcome of the filtering phase of one scheduling cycle. */
export interface FilterResult {
  feasible: NodeInfo[];
  /** Why each other node was rejected, for PostFilter and the FailedScheduling message. */
  rejections: Map<string, Status>;
  /** A PreFilter or Filter status (error, or a PreFilter's rejection) that ended the cycle early. */
  aborted?: Status;
}

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  /** Multiplies the plugin's 0–100 score; a positive integer. */
  weight: number;
}

/** One profile's plugins per extension point, each list in the order it runs. */
export interface ProfilePlugins {
  queueSort: QueueSortPlugin;
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  postFilter: PostFilterPlugin[];
  preScore: PreScorePlugin[];
  score: WeightedScorePlugin[];
  reserve: ReservePlugin[];
  permit: PermitPlugin[];
  preBind: PreBindPlugin[];
  bind: BindPlugin[];
}

export interface FrameworkOptions {
  /** Shared with the plugins through their handle, so they can allow or reject waiting pods. [a new one] */
  waitingPods?: WaitingPods;
  /** For failures that have nowhere else to go (Unreserve). [the root logger] */
  log?: Logger;
}

/**
 * Runs one profile's plugins at kube-scheduler's extension points and records how long each took.
 * The framework, not the plugins, does the timing, the ordering and the aggregation, so plugins
 * stay small functions of (pod, node). The scheduler drives the phases: `findFeasible`, then
 * `runPostFilter` if nothing fits, or `selectHost`, `runReserve`, `runPermit`; and in the binding
 * cycle `waitOnPermit`, `runPreBind`, `runBind`, with `runUnreserve` after any failure.
 */
export class Framework {
  readonly waitingPods: WaitingPods;
  private readonly log: Logger;

  constructor(
    readonly plugins: ProfilePlugins,
    opts: FrameworkOptions = {},
  ) {
    this.waitingPods = opts.waitingPods ?? new WaitingPods();
    this.log = opts.log ?? rootLog;
  }

  /** The queue's order: the profile's QueueSort plugin. */
  readonly less = (a: QueuedPodInfo, b: QueuedPodInfo): boolean => this.plugins.queueSort.less(a, b);

  /** PreFilter, then Filter on every node; a plugin whose PreFilter says Skip is not asked to Filter. */
  async findFeasible(state: CycleState, pod: V1Pod, snapshot: Snapshot): Promise<FilterResult> {
    const skipped = new Set<string>();
    for (const p of this.plugins.preFilter) {
      const status = await timed(p.name, "PreFilter", () => p.preFilter(state, pod, snapshot));
      if (status?.code === Code.Skip) skipped.add(p.name);
      else if (!isSuccess(status)) return { feasible: [], rejections: new Map(), aborted: withPlugin(status!, p.name) };
    }
    const active = this.plugins.filter.filter((f) => !skipped.has(f.name));
    const spent = new Map<string, number>();
    const feasible: NodeInfo[] = [];
    const rejections = new Map<string, Status>();
    for (const node of snapshot.nodes) {
      let verdict: MaybeStatus;
      for (const f of active) {
        const t = process.hrtime.bigint();
        verdict = guarded(() => f.filter(state, pod, node));
        spent.set(f.name, (spent.get(f.name) ?? 0) + Number(process.hrtime.bigint() - t) / 1e9);
        if (!isSuccess(verdict)) {
          withPlugin(verdict!, f.name);
          break;
        }
      }
      if (isSuccess(verdict)) feasible.push(node);
      else if (isRejection(verdict)) rejections.set(node.node.metadata?.name ?? "", verdict!);
      else return { feasible: [], rejections, aborted: verdict };
    }
    for (const [name, s] of spent) pluginSeconds.observe({ plugin: name, extension_point: "Filter" }, s);
    return { feasible, rejections };
  }

  /**
   * After no node fit: PostFilter plugins in order until one succeeds (made room) or errs. Returns
   * Unschedulable with the reasons of those that could not help (none without PostFilter plugins).
   */
  async runPostFilter(state: CycleState, pod: V1Pod, rejections: ReadonlyMap<string, Status>): Promise<Status | undefined> {
    const reasons: string[] = [];
    for (const p of this.plugins.postFilter) {
      const status = await timed(p.name, "PostFilter", () => p.postFilter(state, pod, rejections));
      if (isSuccess(status)) return undefined;
      if (status!.code === Code.Skip) continue;
      if (!isRejection(status)) return withPlugin(status!, p.name);
      reasons.push(...status!.reasons);
    }
    return new Status(Code.Unschedulable, reasons);
  }

  /**
   * PreScore, Score and NormalizeScore over the feasible nodes; each plugin's 0–100 score times its
   * weight, summed per node; the best node wins, ties going to a random one of them so equal nodes
   * share the load. A single feasible node is taken without scoring. An error status ends the cycle.
   */
  selectHost(state: CycleState, pod: V1Pod, feasible: NodeInfo[], random: () => number = Math.random): { host?: NodeInfo; status?: Status } {
    if (feasible.length <= 1) return { host: feasible[0] };
    const skipped = new Set<string>();
    for (const p of this.plugins.preScore) {
      const status = timedSync(p.name, "PreScore", () => p.preScore(state, pod, feasible));
      if (status?.code === Code.Skip) skipped.add(p.name);
      else if (!isSuccess(status)) return { status: withPlugin(status!, p.name) };
    }
    const totals = feasible.map(() => 0);
    for (const { plugin, weight } of this.plugins.score) {
      if (skipped.has(plugin.name)) continue;
      const scores: NodeScore[] = [];
      let status = timedSync(plugin.name, "Score", () => {
        for (const n of feasible) scores.push({ name: n.node.metadata?.name ?? "", score: plugin.score(state, pod, n) });
        return undefined;
      });
      if (plugin.normalizeScore && isSuccess(status)) status = timedSync(plugin.name, "NormalizeScore", () => plugin.normalizeScore!(state, pod, scores));
      if (!isSuccess(status)) return { status: withPlugin(status!, plugin.name) };
      for (const [i, { name, score }] of scores.entries()) {
        if (!(score >= 0 && score <= 100)) return { status: withPlugin(Status.error(`plugin ${plugin.name} scored node ${name} ${score}, outside 0–100`), plugin.name) };
        totals[i]! += weight * score;
      }
    }
    const best = Math.max(...totals);
    const top = feasible.filter((_, i) => totals[i] === best);
    return { host: top[Math.floor(random() * top.length)] };
  }

  /** Reserve plugins in order; the first failure is returned and the caller runs `runUnreserve`. */
  async runReserve(state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus> {
    for (const p of this.plugins.reserve) {
      const status = await timed(p.name, "Reserve", () => p.reserve(state, pod, nodeName));
      if (!isSuccess(status)) return withPlugin(status!, p.name);
    }
    return undefined;
  }

  /** Every Reserve plugin's Unreserve, in reverse order; a failing one is logged and the rest still run. */
  async runUnreserve(state: CycleState, pod: V1Pod, nodeName: string): Promise<void> {
    for (const p of [...this.plugins.reserve].reverse()) {
      const status = await timed(p.name, "Unreserve", async () => {
        await p.unreserve(state, pod, nodeName);
        return undefined;
      });
      if (!isSuccess(status)) this.log.warn({ plugin: p.name, pod: pod.metadata?.name, err: status?.message }, "unreserve failed");
    }
  }

  /**
   * Permit plugins in order: a rejection or error is returned at once; if any says Wait (and none
   * rejects) the pod is added to `waitingPods` and Wait is returned, for `waitOnPermit` to await.
   */
  async runPermit(state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus> {
    const waits = new Map<string, number>();
    for (const p of this.plugins.permit) {
      let timeoutMs = 0;
      const status = await timed(p.name, "Permit", async () => {
        const result = await p.permit(state, pod, nodeName);
        timeoutMs = result.timeoutMs ?? 0;
        return result.status;
      });
      if (status?.code === Code.Wait) waits.set(p.name, Math.min(Math.max(0, timeoutMs), MAX_PERMIT_WAIT_MS));
      else if (!isSuccess(status)) return withPlugin(status!, p.name);
    }
    if (waits.size === 0) return undefined;
    this.waitingPods.add(new WaitingPod(pod, nodeName, waits));
    return Status.wait();
  }

  /** Waits until a pod held by Permit is allowed (Success) or rejected; at once for a pod not held. */
  async waitOnPermit(pod: V1Pod): Promise<MaybeStatus> {
    const uid = pod.metadata?.uid ?? "";
    const waiting = this.waitingPods.get(uid);
    if (!waiting) return undefined;
    try {
      return await waiting.verdict;
    } finally {
      this.waitingPods.remove(uid);
    }
  }

  /** PreBind plugins in order; the first failure is returned. */
  async runPreBind(state: CycleState, pod: V1Pod, nodeName: string, signal: AbortSignal): Promise<MaybeStatus> {
    for (const p of this.plugins.preBind) {
      const status = await timed(p.name, "PreBind", () => p.preBind(state, pod, nodeName, signal));
      if (!isSuccess(status)) return withPlugin(status!, p.name);
    }
    return undefined;
  }

  /** Bind plugins in order until one does not Skip; its status is the result. */
  async runBind(state: CycleState, pod: V1Pod, nodeName: string): Promise<MaybeStatus> {
    for (const p of this.plugins.bind) {
      const status = await timed(p.name, "Bind", () => p.bind(state, pod, nodeName));
      if (status?.code === Code.Skip) continue;
      return isSuccess(status) ? undefined : withPlugin(status!, p.name);
    }
    return Status.error("every Bind plugin skipped the pod");
  }
}

/** Runs one plugin call under the per-plugin timer; a throw becomes an Error status. */
async function timed(plugin: string, point: string, fn: () => Promise<MaybeStatus> | MaybeStatus): Promise<MaybeStatus> {
  const end = pluginSeconds.startTimer({ plugin, extension_point: point });
  try {
    return await fn();
  } catch (err) {
    return Status.fromError(err);
  } finally {
    end();
  }
}

function timedSync(plugin: string, point: string, fn: () => MaybeStatus): MaybeStatus {
  const end = pluginSeconds.startTimer({ plugin, extension_point: point });
  try {
    return guarded(fn);
  } finally {
    end();
  }
}

function guarded(fn: () => MaybeStatus): MaybeStatus {
  try {
    return fn();
  } catch (err) {
    return Status.fromError(err);
  }
}

function withPlugin(status: Status, plugin: string): Status {
  status.plugin = plugin;
  return status;
}
