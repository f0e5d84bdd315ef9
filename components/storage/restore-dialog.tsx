"use client";

import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { bytes, timestamp } from "@/components/ui/format";
import type { BackupView, VolumeView } from "@/lib/console/storage";

/**
 * The restore button with its confirmation: says which volume's data is replaced by which snapshot,
 * what is lost (everything written after the snapshot), and whether a running pod uses the volume
 * (then the agent refuses unless forced).
 */
export function RestoreButton({ volume, backup, onConfirm, busy, error }: { volume: VolumeView; backup: BackupView; onConfirm: (force: boolean) => void; busy: boolean; error?: string }) {
  const t = useTranslations("restore");
  const dialog = useRef<HTMLDialogElement>(null);
  const [force, setForce] = useState(false);
  return (
    <>
      <Button variant="secondary" data-testid={`restore-${backup.name}`} onClick={() => dialog.current?.showModal()}>
        {t("button")}
      </Button>
      <dialog ref={dialog} data-testid="restore-dialog" className="m-auto max-w-lg rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <h2 className="text-lg font-semibold">{t("title")}</h2>
        <p className="mt-3 text-sm">
          {t("overwrite", {
            volume: volume.name,
            claim: `${volume.namespace}/${volume.claim}`,
            node: volume.node,
            used: bytes(volume.usedBytes),
            snapshot: (backup.snapshotId ?? "").slice(0, 8),
            time: timestamp(backup.completionTime),
          })}
        </p>
        <p className="mt-2 text-sm font-medium text-red-700">{t("lost", { time: timestamp(backup.completionTime) })}</p>
        {volume.pod && (
          <div className="mt-3 rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
            <p>{t("inUse", { pod: volume.pod })}</p>
            <label className="mt-2 flex items-center gap-2">
              <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="restore-force" />
              {t("force")}
            </label>
          </div>
        )}
        {error && (
          <div className="mt-3">
            <ErrorAlert title={t("failed")} message={error} />
          </div>
        )}
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => dialog.current?.close()}>
            {t("cancel")}
          </Button>
          <Button
            variant="danger"
            data-testid="restore-confirm"
            disabled={busy}
            onClick={() => {
              onConfirm(force);
              dialog.current?.close();
            }}
          >
            {t("confirm")}
          </Button>
        </div>
      </dialog>
    </>
  );
}
