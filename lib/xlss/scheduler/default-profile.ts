import type { PluginRef } from "./config";
import { PLUGIN } from "./plugins/names";
import { RESCUE } from "./plugins/rescue";
import { VOLUME_BINDING } from "./plugins/volume-binding";

/**
 * The default profile, as kube-scheduler's default_plugins.go: every plugin here is enabled at
 * every extension point it implements, in this order (so cheap, unresolvable filters run first).
 * Weights apply to Score; a scoring plugin without one weighs 1. A configuration file's `plugins`
 * are applied on top of this list.
 */
export const DEFAULT_PLUGINS: readonly PluginRef[] = [
  { name: PLUGIN.PrioritySort },
  { name: PLUGIN.NodeName },
  { name: PLUGIN.NodeUnschedulable },
  { name: PLUGIN.TaintToleration, weight: 1 },
  { name: PLUGIN.NodeAffinity, weight: 2 },
  { name: PLUGIN.NodeResourcesFit, weight: 1 },
  { name: PLUGIN.InterPodAffinity, weight: 2 },
  { name: PLUGIN.PodTopologySpread, weight: 2 },
  // Before volume binding: it hands over the claims it moves off a gone node (PreFilter), and its
  // PreBind brings their data back before the pod is bound.
  { name: RESCUE },
  { name: VOLUME_BINDING },
  { name: PLUGIN.DefaultBinder },
];
