import { EXTENSION_POINTS, ConfigError, DEFAULT_SCHEDULER_NAME, type ExtensionPoint, type PluginRef, type PluginSet, type ProfileConfig } from "./config";
import { fieldPath } from "./framework/args";
import type { ProfilePlugins } from "./framework/framework";
import {
  implementsBind,
  implementsFilter,
  implementsPermit,
  implementsPostFilter,
  implementsPreBind,
  implementsPreFilter,
  implementsPreScore,
  implementsQueueSort,
  implementsReserve,
  implementsScore,
  type Plugin,
} from "./framework/interfaces";
import type { Registry } from "./framework/registry";

const IMPLEMENTS: Record<ExtensionPoint, (p: Plugin) => boolean> = {
  queueSort: implementsQueueSort,
  preFilter: implementsPreFilter,
  filter: implementsFilter,
  postFilter: implementsPostFilter,
  preScore: implementsPreScore,
  score: implementsScore,
  reserve: implementsReserve,
  permit: implementsPermit,
  preBind: implementsPreBind,
  bind: implementsBind,
};

/** A profile ready to run: the pods it serves and its plugins per extension point. */
export interface Profile {
  schedulerName: string;
  plugins: ProfilePlugins;
}

/**
 * kube-scheduler's mergePluginSet: `custom` on top of `base`. Disabled names leave ("*": all of
 * them); an enabled name already there replaces that entry in place (weight included); other
 * enabled names are appended in order.
 */
export function mergePluginSet(base: readonly PluginRef[], custom: PluginSet | undefined): PluginRef[] {
  if (!custom) return [...base];
  const disabled = new Set(custom.disabled.map((d) => d.name));
  const enabled = new Map(custom.enabled.map((e) => [e.name, e]));
  const kept = base.filter((b) => !disabled.has("*") && !disabled.has(b.name)).map((b) => enabled.get(b.name) ?? b);
  return [...kept, ...custom.enabled.filter((e) => !kept.some((k) => k.name === e.name))];
}

/**
 * Builds the one profile of a configuration on top of `defaults` (every plugin at every point it
 * implements): multiPoint is merged into the defaults first, then each point's list is the
 * multiPoint plugins that implement it with that point's own enabled/disabled merged on top. Each
 * plugin is created once, by its factory, with its `pluginConfig` args. Throws a ConfigError
 * naming the field for an unknown plugin, a plugin enabled at a point it does not implement, bad
 * args, a weight outside Score, args for a plugin not enabled, or not exactly one QueueSort plugin.
 */
export function buildProfile<H>(config: ProfileConfig, registry: Registry<H>, handle: H, defaults: readonly PluginRef[]): Profile {
  const at = (...path: PropertyKey[]) => fieldPath(["profiles", 0, ...path]);
  checkNames(config, registry, at);

  const multiPoint = mergePluginSet(defaults, config.plugins.multiPoint);
  const wanted = new Set([...multiPoint, ...EXTENSION_POINTS.flatMap((p) => config.plugins[p]?.enabled ?? [])].map((r) => r.name));
  const instances = new Map<string, Plugin>();
  for (const name of wanted) {
    const i = config.pluginConfig.findIndex((c) => c.name === name);
    try {
      const [plugin] = registry.build([{ name, args: config.pluginConfig[i]?.args }], handle);
      instances.set(name, plugin!);
    } catch (err) {
      const where = i >= 0 ? at("pluginConfig", i, "args") : at("plugins");
      throw new ConfigError(`${where}: plugin ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const plugin = (name: string) => instances.get(name)!;
  (config.plugins.multiPoint?.enabled ?? []).forEach((ref, i) => {
    if (!EXTENSION_POINTS.some((p) => IMPLEMENTS[p](plugin(ref.name)))) {
      throw new ConfigError(`${at("plugins", "multiPoint", "enabled", i, "name")}: plugin ${ref.name} implements no extension point`);
    }
  });

  const lists = {} as Record<ExtensionPoint, PluginRef[]>;
  for (const point of EXTENSION_POINTS) {
    const custom = config.plugins[point];
    custom?.enabled.forEach((ref, i) => {
      if (!IMPLEMENTS[point](plugin(ref.name))) throw new ConfigError(`${at("plugins", point, "enabled", i, "name")}: plugin ${ref.name} does not implement ${point}`);
    });
    lists[point] = mergePluginSet(
      multiPoint.filter((ref) => IMPLEMENTS[point](plugin(ref.name))),
      custom,
    );
  }

  const used = new Set(EXTENSION_POINTS.flatMap((p) => lists[p].map((r) => r.name)));
  config.pluginConfig.forEach((c, i) => {
    if (!used.has(c.name)) throw new ConfigError(`${at("pluginConfig", i, "name")}: plugin ${c.name} is not enabled in this profile, so its args would be ignored`);
  });
  if (lists.queueSort.length !== 1) {
    throw new ConfigError(`${at("plugins", "queueSort")}: exactly one QueueSort plugin must be enabled, got ${lists.queueSort.map((r) => r.name).join(", ") || "none"}`);
  }
  if (lists.bind.length === 0) throw new ConfigError(`${at("plugins", "bind")}: at least one Bind plugin must be enabled`);

  const pick = <T extends Plugin>(point: ExtensionPoint, is: (p: Plugin) => p is T): T[] => lists[point].map((r) => plugin(r.name)).filter(is);
  return {
    schedulerName: config.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    plugins: {
      queueSort: pick("queueSort", implementsQueueSort)[0]!,
      preFilter: pick("preFilter", implementsPreFilter),
      filter: pick("filter", implementsFilter),
      postFilter: pick("postFilter", implementsPostFilter),
      preScore: pick("preScore", implementsPreScore),
      score: lists.score.flatMap((r) => {
        const p = plugin(r.name);
        return implementsScore(p) ? [{ plugin: p, weight: r.weight ?? 1 }] : [];
      }),
      reserve: pick("reserve", implementsReserve),
      permit: pick("permit", implementsPermit),
      preBind: pick("preBind", implementsPreBind),
      bind: pick("bind", implementsBind),
    },
  };
}

/** Every name refers to a registered plugin, once per list; weights only where they count. */
function checkNames<H>(config: ProfileConfig, registry: Registry<H>, at: (...path: PropertyKey[]) => string): void {
  const known = (name: string, path: string) => {
    if (!registry.has(name)) throw new ConfigError(`${path}: unknown plugin ${name} (known: ${registry.names.join(", ")})`);
  };
  for (const point of ["multiPoint", ...EXTENSION_POINTS] as const) {
    const set = config.plugins[point];
    if (!set) continue;
    const seen = new Set<string>();
    set.enabled.forEach((ref, i) => {
      known(ref.name, at("plugins", point, "enabled", i, "name"));
      if (seen.has(ref.name)) throw new ConfigError(`${at("plugins", point, "enabled", i, "name")}: plugin ${ref.name} is enabled twice`);
      seen.add(ref.name);
      if (ref.weight !== undefined && point !== "score" && point !== "multiPoint") {
        throw new ConfigError(`${at("plugins", point, "enabled", i, "weight")}: weights apply to score (and multiPoint) only`);
      }
    });
    set.disabled.forEach((ref, i) => ref.name !== "*" && known(ref.name, at("plugins", point, "disabled", i, "name")));
  }
  const seen = new Set<string>();
  config.pluginConfig.forEach((c, i) => {
    known(c.name, at("pluginConfig", i, "name"));
    if (seen.has(c.name)) throw new ConfigError(`${at("pluginConfig", i, "name")}: plugin ${c.name} has args twice`);
    seen.add(c.name);
  });
}
