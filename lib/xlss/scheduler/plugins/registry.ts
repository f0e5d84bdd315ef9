import { z } from "zod";
import { decodeArgs } from "../framework/args";
import { Registry, withoutArgs } from "../framework/registry";
import type { SchedulerHandle } from "../handle";
import { defaultBinder } from "./default-binder";
import { nodeAffinity, nodeName, nodeResourcesFit, nodeUnschedulable, taintToleration } from "./filters";
import { PLUGIN } from "./names";
import { prioritySort } from "./priority-sort";
import { interPodAffinity, podTopologySpread } from "./spreading";
import { RESCUE, rescue, rescueArgs } from "./rescue";
import { VOLUME_BINDING, volumeBinding } from "./volume-binding";

/** VolumeBinding's args, as kube-scheduler's VolumeBindingArgs. */
const volumeBindingArgs = z.strictObject({
  /** How long PreBind waits for the provisioned claims to be bound [600]. */
  bindTimeoutSeconds: z.number().int().min(1).max(3600).default(600),
});

/** Every plugin this scheduler ships (kube-scheduler's in-tree registry), by the name profiles use. */
export function inTreeRegistry(): Registry<SchedulerHandle> {
  return new Registry<SchedulerHandle>()
    .register(PLUGIN.PrioritySort, withoutArgs(() => prioritySort))
    .register(PLUGIN.NodeName, withoutArgs(() => nodeName))
    .register(PLUGIN.NodeUnschedulable, withoutArgs(() => nodeUnschedulable))
    .register(PLUGIN.TaintToleration, withoutArgs(() => taintToleration))
    .register(PLUGIN.NodeAffinity, withoutArgs(() => nodeAffinity))
    .register(PLUGIN.NodeResourcesFit, withoutArgs(() => nodeResourcesFit))
    .register(PLUGIN.InterPodAffinity, withoutArgs(() => interPodAffinity))
    .register(PLUGIN.PodTopologySpread, withoutArgs(() => podTopologySpread))
    .register(RESCUE, (args, handle) => rescue(decodeArgs(rescueArgs, args), handle))
    .register(VOLUME_BINDING, (args, handle) => volumeBinding({ ...handle, bindTimeoutMs: decodeArgs(volumeBindingArgs, args).bindTimeoutSeconds * 1000 }))
    .register(PLUGIN.DefaultBinder, withoutArgs((handle) => defaultBinder(handle)));
}
