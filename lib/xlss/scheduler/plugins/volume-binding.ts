import type {
  V1CSIStorageCapacity,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1StorageClass,
} from "@kubernetes/client-node";
import { mergePatch, type KubeClients } from "../../../k8s/client";
import type { Informer } from "../../../k8s/informer";
import { sleep } from "../../../k8s/sleep";
import { SELECTED_NODE } from "../../provisioner/claim-controller";
import type { CycleState, FilterPlugin, NodeInfo, PreBindPlugin, PreFilterPlugin, Snapshot } from "../framework/interfaces";
import { Status, type MaybeStatus } from "../framework/status";
import { amount, matchesAnyTerm } from "./helpers";

export const VOLUME_BINDING = "VolumeBinding";

/**
 * CycleState key under which another plugin (the rescue) hands over claims it is moving to a new
 * node: Volume binding then ignores where their old volume is, checks only that the node has room,
 * and leaves their binding to that plugin.
 */
export const MOVING_CLAIMS = "VolumeBinding/moving";
export type MovingClaims = Map<string, { storageClassName: string; bytes: number }>;

export interface VolumeBindingDeps {
  clients: KubeClients;
  claims: Informer<V1PersistentVolumeClaim>;
  volumes: Informer<V1PersistentVolume>;
  classes: Informer<V1StorageClass>;
  capacities: Informer<V1CSIStorageCapacity>;
  /** How long PreBind waits for a provisioned claim to be bound [600 s, kube-scheduler's default]. */
  bindTimeoutMs?: number;
}

interface ClaimsState {
  /** Bound claims: their PVs, whose node affinity decides. */
  bound: V1PersistentVolume[];
  /** WaitForFirstConsumer claims still to provision: the node must have room. */
  unbound: { claim: V1PersistentVolumeClaim; cls: V1StorageClass; bytes: number }[];
  /** Claims another plugin is moving here: only room matters. */
  moving: { storageClassName: string; bytes: number }[];
}

/**
 * Volume binding for stateful pods (kube-scheduler's VolumeBinding, for the two cases XLSS meets):
 * a bound claim ties the pod to its PV's node affinity; a WaitForFirstConsumer claim is provisioned
 * on the chosen node — only nodes whose published capacity (CSIStorageCapacity) holds it pass, and
 * PreBind writes `selected-node` on the claim and waits until the provisioner's PV is bound to it.
 */
export function volumeBinding(deps: VolumeBindingDeps): PreFilterPlugin & FilterPlugin & PreBindPlugin {
  const hasRoom = (storageClassName: string, nodeName: string, bytes: number) => {
    const capacity = deps.capacities
      .list()
      .find((c) => c.storageClassName === storageClassName && c.nodeTopology?.matchLabels?.["kubernetes.io/hostname"] === nodeName);
    // No capacity object: the provisioner publishes none for this class and node; let it decide.
    return !capacity || amount("storage", capacity.capacity) >= bytes;
  };
  return {
    name: VOLUME_BINDING,
    preFilter(state: CycleState, pod: V1Pod, _snapshot: Snapshot): MaybeStatus {
      const names = (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
      if (names.length === 0) return Status.skip();
      const result: ClaimsState = { bound: [], unbound: [], moving: [] };
      const moving = state.read<MovingClaims>(MOVING_CLAIMS);
      for (const name of names) {
        const move = moving?.get(name);
        if (move) {
          result.moving.push(move);
          continue;
        }
        const claim = deps.claims.get(name, pod.metadata?.namespace);
        if (!claim) return Status.unresolvable(`persistentvolumeclaim "${name}" not found`);
        if (claim.metadata?.deletionTimestamp) return Status.unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
        if (claim.spec?.volumeName) {
          const pv = deps.volumes.get(claim.spec.volumeName);
          if (!pv || claim.status?.phase !== "Bound") return Status.unschedulable(`pod has unbound immediate PersistentVolumeClaims`);
          result.bound.push(pv);
          continue;
        }
        const cls = deps.classes.get(claim.spec?.storageClassName ?? "");
        if (cls?.volumeBindingMode !== "WaitForFirstConsumer") return Status.unresolvable("pod has unbound immediate PersistentVolumeClaims");
        result.unbound.push({ claim, cls, bytes: amount("storage", claim.spec?.resources?.requests?.storage) });
      }
      state.write(VOLUME_BINDING, result);
      return undefined;
    },

    filter(state: CycleState, _pod: V1Pod, n: NodeInfo): MaybeStatus {
      const claims = state.read<ClaimsState>(VOLUME_BINDING);
      if (!claims) return undefined;
      for (const pv of claims.bound) {
        const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
        if (terms && !matchesAnyTerm(n.node, terms)) return Status.unresolvable("node(s) had volume node affinity conflict");
      }
      const nodeName = n.node.metadata?.name ?? "";
      for (const { claim, cls, bytes } of claims.unbound) {
        // A node was already chosen for this claim (by an earlier attempt, maybe of a scheduler that
        // restarted mid-binding): only that node, so provisioning is never started twice.
        const selected = claim.metadata?.annotations?.[SELECTED_NODE];
        if (selected && selected !== nodeName) return Status.unresolvable("node(s) didn't match the node selected for the pod's volume");
        if (!hasRoom(cls.metadata?.name ?? "", nodeName, bytes)) return Status.unschedulable("node(s) did not have enough free storage");
      }
      for (const { storageClassName, bytes } of claims.moving) {
        if (!hasRoom(storageClassName, nodeName, bytes)) return Status.unschedulable("node(s) did not have enough free storage");
      }
      return undefined;
    },

    async preBind(state: CycleState, pod: V1Pod, nodeName: string, signal: AbortSignal): Promise<MaybeStatus> {
      const claims = state.read<ClaimsState>(VOLUME_BINDING);
      if (!claims || claims.unbound.length === 0) return undefined;
      const deadline = Date.now() + (deps.bindTimeoutMs ?? 600_000);
      // All at once: the claims' volumes are provisioned in parallel.
      const statuses = await Promise.all(claims.unbound.map(({ claim }) => provisionOn(deps.clients, claim, nodeName, deadline, signal)));
      return statuses.find((s) => s !== undefined);
    },
  };
}

/**
 * Asks for a WaitForFirstConsumer claim's volume on `nodeName` (the `selected-node` annotation the
 * provisioner acts on) and waits until the claim is bound to it. A claim already promised to another
 * node is not taken away from it: Unschedulable, and the next attempt's Filter follows the claim.
 */
export async function provisionOn(
  clients: KubeClients,
  claim: V1PersistentVolumeClaim,
  nodeName: string,
  deadline: number,
  signal: AbortSignal,
): Promise<MaybeStatus> {
  const name = claim.metadata?.name ?? "";
  const namespace = claim.metadata?.namespace ?? "";
  const selected = claim.metadata?.annotations?.[SELECTED_NODE];
  if (selected && selected !== nodeName) return Status.unschedulable(`claim ${name} is being provisioned on ${selected}`);
  if (!claim.spec?.volumeName && !selected) {
    await clients.core.patchNamespacedPersistentVolumeClaim({ name, namespace, body: { metadata: { annotations: { [SELECTED_NODE]: nodeName } } } }, mergePatch);
  }
  while (Date.now() < deadline && !signal.aborted) {
    const live = await clients.core.readNamespacedPersistentVolumeClaim({ name, namespace });
    if (live.metadata?.uid !== claim.metadata?.uid) return Status.error(`claim ${name} was re-created`);
    if (live.status?.phase === "Bound" && live.metadata?.annotations?.["pv.kubernetes.io/bind-completed"]) return undefined;
    if (!live.spec?.volumeName && live.metadata?.annotations?.[SELECTED_NODE] !== nodeName) {
      return Status.unschedulable(`provisioning of claim ${name} on ${nodeName} failed`);
    }
    await sleep(500, signal);
  }
  return Status.error(`claim ${name} not bound within the bind timeout`);
}
