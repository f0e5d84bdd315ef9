"use client";

import { useTranslations } from "next-intl";
import { Badge, phaseTone } from "@/components/ui/badge";
import { bytes, duration, timestamp } from "@/components/ui/format";
import { Card } from "@/components/ui/page-header";
import { EventList } from "@/components/ui/event-list";
import { useLive } from "@/components/live";
import type { EventView, FailoverView } from "@/lib/console/failovers";
import { FailoverTimeline } from "./timeline";

type Detail = { failover: FailoverView; events: EventView[] };

export function FailoverDetailView({ initial }: { initial: Detail }) {
  const t = useTranslations("failovers");
  const { namespace, name } = initial.failover;
  const { data, dataUpdatedAt } = useLive(["failover", namespace, name], `/api/failovers/${namespace}/${name}`, initial, 3000);
  const f = data.failover;
  return (
    <div className="space-y-6">
      <Card>
        <dl className="grid gap-4 text-sm sm:grid-cols-3 lg:grid-cols-6">
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("col.phase")}</dt>
            <dd>
              <Badge tone={phaseTone(f.phase)}>{f.phase ?? "—"}</Badge>
            </dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("failedNode")}</dt>
            <dd>{f.failedNode}</dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("newNode")}</dt>
            <dd>{f.newNode ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("col.rpo")}</dt>
            <dd>{duration(f.rpoSeconds)}</dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("col.total")}</dt>
            <dd>{duration(f.totalSeconds)}</dd>
          </div>
          <div>
            <dt className="text-xs uppercase text-slate-500">{t("col.started")}</dt>
            <dd>{timestamp(f.created)}</dd>
          </div>
        </dl>
        {f.reason && <p className="mt-3 text-sm text-slate-600">{f.reason}</p>}
        {f.message && <p className="mt-1 text-sm text-amber-800">{f.message}</p>}
      </Card>
      <Card title={t("timeline")}>
        <FailoverTimeline stages={f.stages} now={dataUpdatedAt} />
      </Card>
      <Card title={t("claims")}>
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1 pr-4">{t("claim")}</th>
              <th className="py-1 pr-4">{t("volumes")}</th>
              <th className="py-1 pr-4">{t("snapshot")}</th>
              <th className="py-1 pr-4">{t("restored")}</th>
            </tr>
          </thead>
          <tbody>
            {f.claims.map((c) => (
              <tr key={c.name} className="border-t border-slate-100">
                <td className="py-1 pr-4">{c.name}</td>
                <td className="py-1 pr-4 font-mono text-xs">
                  {c.oldVolume} → {c.newVolume ?? "…"}
                </td>
                <td className="py-1 pr-4 font-mono text-xs">
                  {c.startedEmpty ? t("startedEmpty") : `${(c.snapshotId ?? "").slice(0, 8)} ${timestamp(c.snapshotTime)}`}
                </td>
                <td className="py-1 pr-4">{bytes(c.bytesRestored)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t("events")}>
        <EventList events={data.events} />
      </Card>
    </div>
  );
}
