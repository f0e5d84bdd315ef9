"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge, phaseTone } from "@/components/ui/badge";
import { bytes, duration, timestamp } from "@/components/ui/format";
import { Card } from "@/components/ui/page-header";
import { useLive } from "@/components/live";
import type { BackupView, StorageOverview } from "@/lib/console/storage";
import { BackupHealth } from "./backup-health";

/** Every visible volume's backup standing against its policy (problems first), then the newest runs. */
export function BackupsView({ overview, backups }: { overview: StorageOverview; backups: BackupView[] }) {
  const t = useTranslations("backups");
  const storage = useLive(["storage"], "/api/storage", overview, 5000).data;
  const runs = useLive(["backups"], "/api/backups", backups, 5000).data;
  const order = { overdue: 0, invalid: 1, never: 2, paused: 3, none: 4, ok: 5 } as const;
  const volumes = [...storage.volumes].sort((a, b) => order[a.backup.health] - order[b.backup.health]);
  const warnings = volumes.filter((v) => v.backup.health === "overdue" || v.backup.health === "never" || v.backup.health === "invalid");
  return (
    <div className="space-y-6">
      {warnings.length > 0 && (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="backup-warnings">
          {t("warnings", { count: warnings.length })}
        </div>
      )}
      <Card title={t("standing")}>
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-4">{t("col.claim")}</th>
              <th className="py-2 pr-4">{t("col.schedule")}</th>
              <th className="py-2 pr-4">{t("col.lastGood")}</th>
              <th className="py-2 pr-4">{t("col.nextDue")}</th>
              <th className="py-2 pr-4">{t("col.state")}</th>
            </tr>
          </thead>
          <tbody>
            {volumes.map((v) => (
              <tr key={v.name} className="border-t border-slate-100">
                <td className="py-2 pr-4">
                  <Link href={`/storage/volumes/${v.name}`} className="text-sky-700 hover:underline">
                    {v.namespace}/{v.claim}
                  </Link>
                </td>
                <td className="py-2 pr-4 font-mono text-xs">{v.backup.schedule ?? "—"}</td>
                <td className="py-2 pr-4 whitespace-nowrap">{timestamp(v.backup.lastGood?.time)}</td>
                <td className="py-2 pr-4 whitespace-nowrap">{timestamp(v.backup.nextDue)}</td>
                <td className="py-2 pr-4">
                  <BackupHealth standing={v.backup} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t("runs")}>
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-4">{t("col.started")}</th>
              <th className="py-2 pr-4">{t("col.claim")}</th>
              <th className="py-2 pr-4">{t("col.trigger")}</th>
              <th className="py-2 pr-4">{t("col.state")}</th>
              <th className="py-2 pr-4">{t("col.size")}</th>
              <th className="py-2 pr-4">{t("col.duration")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((b) => (
              <tr key={`${b.namespace}/${b.name}`} className="border-t border-slate-100">
                <td className="py-2 pr-4 whitespace-nowrap">{timestamp(b.startTime ?? b.created)}</td>
                <td className="py-2 pr-4">
                  {b.namespace}/{b.claim}
                </td>
                <td className="py-2 pr-4">{b.trigger ?? "Schedule"}</td>
                <td className="py-2 pr-4">
                  <Badge tone={phaseTone(b.phase)}>{b.phase ?? "Pending"}</Badge>
                </td>
                <td className="py-2 pr-4">{bytes(b.bytesProcessed)}</td>
                <td className="py-2 pr-4">{duration(b.durationSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
