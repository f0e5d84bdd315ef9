"use client";

import { useTranslations } from "next-intl";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge, phaseTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { bytes, duration, timestamp } from "@/components/ui/format";
import { Card } from "@/components/ui/page-header";
import { UsageBar } from "@/components/ui/usage-bar";
import { sendJson, useAction, useLive } from "@/components/live";
import type { BackupView, RestoreView, VolumeDetail } from "@/lib/console/storage";
import { BackupCharts } from "./backup-chart";
import { BackupHealth } from "./backup-health";
import { RestoreButton } from "./restore-dialog";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm">{children}</dd>
    </div>
  );
}

function RestoreProgress({ r }: { r: RestoreView }) {
  const pct = Math.min(100, r.phase === "Completed" ? 100 : (r.percent ?? 0));
  const color = r.phase === "Failed" ? "bg-red-500" : r.phase === "Completed" ? "bg-emerald-500" : "bg-sky-500";
  return (
    <div className="min-w-32">
      <div className="h-1.5 rounded bg-slate-200">
        <div className={`h-1.5 rounded ${color}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-500">{`${pct.toFixed(0)} % · ${bytes(r.bytesRestored)} / ${bytes(r.totalBytes)}`}</p>
    </div>
  );
}

/** One volume: facts, backup standing and "back up now", charts, backup history with restore buttons, restores with progress. */
export function VolumeDetailView({ name, initial, canRestore }: { name: string; initial: VolumeDetail; canRestore: boolean }) {
  const t = useTranslations("volume");
  const key = ["volume", name];
  const { data } = useLive(key, `/api/volumes/${name}`, initial, 2000);
  const backUp = useAction(() => sendJson<BackupView>(`/api/volumes/${name}/backups`, "POST"), [key]);
  const restore = useAction((input: { snapshot: string; force: boolean }) => sendJson<RestoreView>(`/api/volumes/${name}/restores`, "POST", input), [key]);
  const v = data.volume;
  return (
    <div className="space-y-6">
      <Card>
        <dl className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
          <Field label={t("claim")}>
            {v.namespace}/{v.claim}
          </Field>
          <Field label={t("node")}>{v.node}</Field>
          <Field label={t("phase")}>
            <Badge tone={phaseTone(v.phase)}>{v.phase ?? "—"}</Badge>
          </Field>
          <Field label={t("pod")}>{v.pod ?? "—"}</Field>
          <Field label={t("usage")}>
            <UsageBar used={v.usedBytes ?? 0} total={v.capacityBytes ?? 0} label={`${bytes(v.usedBytes)} / ${bytes(v.capacityBytes)}`} />
          </Field>
          <Field label={t("storageClass")}>{v.storageClass ?? "—"}</Field>
        </dl>
      </Card>
      <Card title={t("backupState")}>
        <div className="flex flex-wrap items-center justify-between gap-4">
          <div className="space-y-1 text-sm">
            <BackupHealth standing={v.backup} testId="backup-health" />
            <p className="text-slate-600">{v.backup.schedule ? t("schedule", { schedule: v.backup.schedule }) : t("noSchedule")}</p>
            {v.backup.nextDue && <p className="text-slate-600">{t("nextDue", { time: timestamp(v.backup.nextDue) })}</p>}
            {v.backup.health === "overdue" && <p className="font-medium text-red-700">{t("overdueWarning", { age: duration(v.backup.lastGoodAgeSeconds) })}</p>}
            {v.backup.health === "never" && <p className="font-medium text-amber-700">{t("neverWarning")}</p>}
            {v.backup.policyErrors?.map((e) => (
              <p key={e} className="font-mono text-xs text-red-700">
                {e}
              </p>
            ))}
          </div>
          <Button data-testid="backup-now" disabled={backUp.isPending} onClick={() => backUp.mutate(undefined)}>
            {t("backupNow")}
          </Button>
        </div>
        {backUp.error && (
          <div className="mt-3">
            <ErrorAlert title={t("backupFailed")} message={backUp.error.message} />
          </div>
        )}
      </Card>
      <Card title={t("charts")}>
        <BackupCharts backups={data.backups} />
      </Card>
      <Card title={t("history")} testId="backup-history">
        {data.backups.length === 0 ? (
          <p className="text-sm text-slate-500">{t("noBackups")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">{t("col.started")}</th>
                  <th className="py-2 pr-4">{t("col.trigger")}</th>
                  <th className="py-2 pr-4">{t("col.phase")}</th>
                  <th className="py-2 pr-4">{t("col.snapshot")}</th>
                  <th className="py-2 pr-4">{t("col.size")}</th>
                  <th className="py-2 pr-4">{t("col.duration")}</th>
                  <th className="py-2 pr-4">{t("col.message")}</th>
                  {canRestore && <th className="py-2" />}
                </tr>
              </thead>
              <tbody>
                {data.backups.map((b) => (
                  <tr key={b.name} data-testid={`backup-${b.name}`} className="border-t border-slate-100 align-top">
                    <td className="py-2 pr-4 whitespace-nowrap">{timestamp(b.startTime ?? b.created)}</td>
                    <td className="py-2 pr-4">{b.trigger ?? "Schedule"}</td>
                    <td className="py-2 pr-4">
                      <Badge tone={phaseTone(b.phase)}>{b.phase ?? "Pending"}</Badge>
                    </td>
                    <td className="py-2 pr-4 font-mono text-xs">{b.snapshotId?.slice(0, 8) ?? "—"}</td>
                    <td className="py-2 pr-4 whitespace-nowrap">
                      {bytes(b.bytesProcessed)} <span className="text-xs text-slate-400">(+{bytes(b.bytesAdded)})</span>
                    </td>
                    <td className="py-2 pr-4">{duration(b.durationSeconds)}</td>
                    <td className="max-w-xs py-2 pr-4 text-xs text-slate-600">{b.message}</td>
                    {canRestore && (
                      <td className="py-2">
                        {b.phase === "Completed" && b.snapshotId && (
                          <RestoreButton volume={v} backup={b} busy={restore.isPending} onConfirm={(force) => restore.mutate({ snapshot: b.snapshotId ?? "latest", force })} />
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {restore.error && (
          <div className="mt-3">
            <ErrorAlert title={t("restoreFailed")} message={restore.error.message} testId="restore-error" />
          </div>
        )}
      </Card>
      <Card title={t("restores")} testId="restores">
        {data.restores.length === 0 ? (
          <p className="text-sm text-slate-500">{t("noRestores")}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-2 pr-4">{t("col.started")}</th>
                <th className="py-2 pr-4">{t("col.snapshot")}</th>
                <th className="py-2 pr-4">{t("col.phase")}</th>
                <th className="py-2 pr-4">{t("col.progress")}</th>
                <th className="py-2 pr-4">{t("col.duration")}</th>
                <th className="py-2 pr-4">{t("col.message")}</th>
              </tr>
            </thead>
            <tbody>
              {data.restores.map((r) => (
                <tr key={r.name} data-testid={`restore-row-${r.name}`} className="border-t border-slate-100 align-top">
                  <td className="py-2 pr-4 whitespace-nowrap">{timestamp(r.startTime ?? r.created)}</td>
                  <td className="py-2 pr-4 font-mono text-xs">{(r.snapshotId ?? r.snapshot ?? "").slice(0, 8)}</td>
                  <td className="py-2 pr-4">
                    <Badge tone={phaseTone(r.phase)} testId="restore-phase">
                      {r.phase ?? "Pending"}
                    </Badge>
                  </td>
                  <td className="py-2 pr-4">
                    <RestoreProgress r={r} />
                  </td>
                  <td className="py-2 pr-4">{duration(r.durationSeconds)}</td>
                  <td className="max-w-xs py-2 pr-4 text-xs text-slate-600">{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
