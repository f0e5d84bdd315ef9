import "server-only";
import { z } from "zod";
import { recordAudit } from "@/db/audit";
import { consoleDatabase } from "@/db/console";
import { ApiError } from "@/lib/auth/errors";
import { hasRole, type Principal } from "@/lib/auth/principal";
import { sharedKubeClients, type KubeClients } from "@/lib/k8s/client";
import { apiMessage } from "@/lib/k8s/errors";
import { createBackup, createRestore } from "@/lib/xlss/api/client";
import { LABELS, STORAGE_API_VERSION } from "@/lib/xlss/api/types";
import { backupView, restoreView, volumeDetail, type BackupView, type RestoreView } from "./storage";

// "Back up now" and one-click restore: each creates the XLSS resource the node agent acts on and
// appends an audit row. The agent reports progress into the object's status, which the pages poll.

/** Object names derived from a claim's name stay within Kubernetes' 253 characters. */
const prefix = (text: string) => `${text.slice(0, 200)}-`;

async function visibleVolume(principal: Principal, name: string, clients: KubeClients) {
  const detail = await volumeDetail(principal, name, clients);
  if (!detail) throw new ApiError("not-found", `no volume ${name}`);
  return detail.volume;
}

/** Creates an XlssBackup with trigger Manual for the volume's claim; any user who sees the volume may. */
export async function backUpNow(principal: Principal, volumeName: string, clients: KubeClients = sharedKubeClients()): Promise<BackupView> {
  const volume = await visibleVolume(principal, volumeName, clients);
  try {
    const created = await createBackup(clients, {
      apiVersion: STORAGE_API_VERSION,
      kind: "XlssBackup",
      metadata: { name: "", generateName: prefix(`${volume.claim}-manual`), namespace: volume.namespace, labels: { [LABELS.claimName]: volume.claim } },
      spec: { claimName: volume.claim, trigger: "Manual" },
    });
    await recordAudit(consoleDatabase().db, {
      actor: principal.username,
      action: "backup.create",
      target: `xlssbackup/${volume.namespace}/${created.metadata.name}`,
      detail: { claim: volume.claim, volume: volume.name },
    });
    return backupView(created);
  } catch (err) {
    throw new ApiError("upstream-error", apiMessage(err));
  }
}

export const restoreInput = z.object({
  /** `latest` or a snapshot id (its first 8+ hex characters). */
  snapshot: z.string().regex(/^(latest|[0-9a-f]{8,64})$/, "latest or a snapshot id (8 to 64 hex characters)"),
  /** Overwrite even while a running pod uses the volume. */
  force: z.boolean().default(false),
});

/**
 * Creates an XlssRestore of the volume's claim into the volume. Approvers and admins only: it
 * replaces the volume's data. The agent refuses it while a running pod uses the volume unless forced.
 */
export async function restoreVolume(principal: Principal, volumeName: string, input: z.infer<typeof restoreInput>, clients: KubeClients = sharedKubeClients()): Promise<RestoreView> {
  if (!hasRole(principal, "approver")) throw new ApiError("forbidden", "only approvers and admins may restore a volume");
  const volume = await visibleVolume(principal, volumeName, clients);
  try {
    const created = await createRestore(clients, {
      apiVersion: STORAGE_API_VERSION,
      kind: "XlssRestore",
      metadata: { name: "", generateName: prefix(`restore-${volume.claim}`), namespace: volume.namespace, labels: { [LABELS.claimName]: volume.claim } },
      spec: { claimName: volume.claim, snapshot: input.snapshot, targetVolume: volume.name, force: input.force },
    });
    await recordAudit(consoleDatabase().db, {
      actor: principal.username,
      action: "restore.create",
      target: `xlssrestore/${volume.namespace}/${created.metadata.name}`,
      detail: { claim: volume.claim, volume: volume.name, snapshot: input.snapshot, force: input.force, runningPod: volume.pod ?? null },
    });
    return restoreView(created);
  } catch (err) {
    throw new ApiError("upstream-error", apiMessage(err));
  }
}
