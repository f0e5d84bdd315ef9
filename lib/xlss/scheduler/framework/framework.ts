import type { V1Pod } from "@kubernetes/client-node";
import { Histogram } from "prom-client";
import { registry } from "../../../metrics";
import {
  CycleState,
  implementsFilter,
  implementsPreFilter,
  implementsScore,
  type FilterPlugin,
  type NodeInfo,
  type Plugin,
  type PreFilterPlugin,
  type ScorePlugin,
  type Snapshot,
} from "./interfaces";
import { Code, isRejection, isSuccess, Status, type MaybeStatus } from "./status";

const pluginSeconds = new Histogram({
  name: "xlss_scheduler_plugin_execution_duration_seconds",
  help: "Time one plugin spent at one extension point (filter and score summed over the nodes of one cycle).",
  labelNames: ["plugin", "extension_point"] as const,
  buckets: [0.00001, 0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
  registers: [registry],
});

/** The outcome of the filtering phase of one scheduling cycle. */
export interface FilterResult {
  feasible: NodeInfo[];
  /** Why each other node was rejected, for the FailedScheduling message. */
  rejections: Map<string, Status>;
  /** A PreFilter error or unresolvable verdict that ended the cycle before any node was looked at. */
  aborted?: Status;
}

/**
 * Runs the plugins of the scheduling cycle in kube-scheduler's order and records how long each took.
 * The framework, not the plugins, does the timing and the aggregation, so plugins stay small pure
 * functions of (pod, node).
 */
export class Framework {
  private readonly preFilters: PreFilterPlugin[];
  private readonly filters: FilterPlugin[];
  private readonly scorers: { plugin: ScorePlugin; weight: number }[];

  constructor(plugins: Plugin[], weights: Record<string, number> = {}) {
    this.preFilters = plugins.filter(implementsPreFilter);
    this.filters = plugins.filter(implementsFilter);
    this.scorers = plugins.filter(implementsScore).map((plugin) => ({ plugin, weight: weights[plugin.name] ?? 1 }));
  }

  /** PreFilter, then Filter on every node; a plugin whose PreFilter says Skip is not asked to Filter. */
  async findFeasible(state: CycleState, pod: V1Pod, snapshot: Snapshot): Promise<FilterResult> {
    const skipped = new Set<string>();
    for (const p of this.preFilters) {
      const status = await timed(p.name, "PreFilter", () => p.preFilter(state, pod, snapshot));
      if (status?.code === Code.Skip) skipped.add(p.name);
      else if (!isSuccess(status)) return { feasible: [], rejections: new Map(), aborted: withPlugin(status!, p.name) };
    }
    const active = this.filters.filter((f) => !skipped.has(f.name));
    const spent = new Map<string, number>();
    const feasible: NodeInfo[] = [];
    const rejections = new Map<string, Status>();
    for (const node of snapshot.nodes) {
      let verdict: MaybeStatus;
      for (const f of active) {
        const t = process.hrtime.bigint();
        verdict = f.filter(state, pod, node);
        spent.set(f.name, (spent.get(f.name) ?? 0) + Number(process.hrtime.bigint() - t) / 1e9);
        if (!isSuccess(verdict)) break;
      }
      if (isSuccess(verdict)) feasible.push(node);
      else if (isRejection(verdict)) rejections.set(node.node.metadata?.name ?? "", verdict!);
      else return { feasible: [], rejections, aborted: verdict };
    }
    for (const [name, s] of spent) pluginSeconds.observe({ plugin: name, extension_point: "Filter" }, s);
    return { feasible, rejections };
  }

  /**
   * Scores the feasible nodes (each plugin 0–100, times its weight) and returns the best; ties go to
   * a random one of them so equal nodes share the load.
   */
  selectHost(state: CycleState, pod: V1Pod, feasible: NodeInfo[], random: () => number = Math.random): NodeInfo | undefined {
    if (feasible.length <= 1) return feasible[0];
    const totals = feasible.map(() => 0);
    for (const { plugin, weight } of this.scorers) {
      const t = process.hrtime.bigint();
      feasible.forEach((n, i) => (totals[i]! += weight * Math.max(0, Math.min(100, plugin.score(state, pod, n)))));
      pluginSeconds.observe({ plugin: plugin.name, extension_point: "Score" }, Number(process.hrtime.bigint() - t) / 1e9);
    }
    const best = Math.max(...totals);
    const top = feasible.filter((_, i) => totals[i] === best);
    return top[Math.floor(random() * top.length)];
  }
}

async function timed(plugin: string, point: string, fn: () => Promise<MaybeStatus> | MaybeStatus): Promise<MaybeStatus> {
  const end = pluginSeconds.startTimer({ plugin, extension_point: point });
  try {
    return await fn();
  } catch (err) {
    return Status.error(err instanceof Error ? err.message : String(err));
  } finally {
    end();
  }
}

function withPlugin(status: Status, plugin: string): Status {
  status.plugin = plugin;
  return status;
}
