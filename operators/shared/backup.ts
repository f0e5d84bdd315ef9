import type { V1Pod, V1PodTemplateSpec } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { mergePatch, type KubeClients } from "../../lib/k8s/client";
import { isNotFound } from "../../lib/k8s/errors";
import type { EventRecorder, EventTarget } from "../../lib/k8s/events";
import { BACKUP_ANNOTATIONS, parsePolicy } from "../../lib/xlss/backup/policy";
import type { BackupSpec } from "./types";

/**
 * A pod template with the backup annotations. The node agents read the policy from the running pods,
 * so changing it needs no restart: it stays out of the restart hash, and the reconciler annotates
 * running pods directly.
 */
export function withBackupPolicy(template: V1PodTemplateSpec, backup: BackupSpec | undefined): V1PodTemplateSpec {
  return { ...template, metadata: { ...template.metadata, annotations: { ...template.metadata?.annotations, ...backupAnnotations(backup) } } };
}

/** The backup annotations the node agents read, from a resource's spec.backup (none without a policy). */
export function backupAnnotations(backup: BackupSpec | undefined): Record<string, string> {
  if (!backup) return {};
  return {
    [BACKUP_ANNOTATIONS.schedule]: backup.schedule,
    [BACKUP_ANNOTATIONS.retention]: backup.retention,
    [BACKUP_ANNOTATIONS.enabled]: String(backup.enabled),
  };
}

/**
 * Puts the backup policy on running pods directly: the node agents read it from the pods, and a
 * new policy must neither wait for a restart nor cause one (it stays out of the restart hash).
 * Pods not yet matching are merge-patched (keys of a removed policy are removed). A policy the
 * agents' own parser refuses is reported on `target` as an InvalidBackupPolicy Warning.
 */
export async function applyBackupPolicy(
  clients: KubeClients,
  events: EventRecorder,
  target: EventTarget,
  pods: readonly V1Pod[],
  backup: BackupSpec | undefined,
  log: Logger,
): Promise<void> {
  const wanted = backupAnnotations(backup);
  const { errors } = parsePolicy(wanted);
  if (errors.length) await events.record(target, { type: "Warning", reason: "InvalidBackupPolicy", message: `spec.backup is not usable: ${errors.join("; ")}` });
  const keys = Object.values(BACKUP_ANNOTATIONS);
  for (const pod of pods) {
    const current = pod.metadata?.annotations ?? {};
    if (pod.metadata?.deletionTimestamp || keys.every((k) => current[k] === wanted[k])) continue;
    const annotations = Object.fromEntries(keys.map((k) => [k, wanted[k] ?? null]));
    try {
      await clients.core.patchNamespacedPod({ name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace ?? "", body: { metadata: { annotations } } }, mergePatch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    log.info({ pod: pod.metadata?.name }, "backup policy set on the pod");
  }
}
