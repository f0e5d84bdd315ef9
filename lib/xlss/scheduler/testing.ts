import type { ProfilePlugins } from "./framework/framework";
import type { BindPlugin, Plugin } from "./framework/interfaces";
import { Registry } from "./framework/registry";
import { prioritySort } from "./plugins/priority-sort";
import { buildProfile } from "./profile";

/** Binds nothing, successfully: for unit tests that stop short of the API server. */
export const noopBinder: BindPlugin = { name: "NoopBinder", bind: async () => undefined };

/**
 * Unit tests' profile: these plugin instances, each at every point it implements, built the way
 * the default profile is; PrioritySort and a no-op binder are added unless the list has its own.
 */
export function profileOf(plugins: Plugin[], weights: Record<string, number> = {}): ProfilePlugins {
  const all = [...plugins];
  if (!all.some((p) => "less" in p)) all.unshift(prioritySort);
  if (!all.some((p) => "bind" in p)) all.push(noopBinder);
  const registry = new Registry<undefined>();
  for (const p of all) registry.register(p.name, () => p);
  const defaults = all.map((p) => ({ name: p.name, weight: weights[p.name] }));
  return buildProfile({ plugins: {}, pluginConfig: [] }, registry, undefined, defaults).plugins;
}
