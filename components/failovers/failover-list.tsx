"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge, phaseTone } from "@/components/ui/badge";
import { duration, timestamp } from "@/components/ui/format";
import { useLive } from "@/components/live";
import type { FailoverView } from "@/lib/console/failovers";

export function FailoverList({ initial }: { initial: FailoverView[] }) {
  const t = useTranslations("failovers");
  const { data } = useLive(["failovers"], "/api/failovers", initial, 5000);
  if (data.length === 0) return <p className="text-sm text-slate-500">{t("none")}</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">{t("col.pod")}</th>
            <th className="px-4 py-2">{t("col.nodes")}</th>
            <th className="px-4 py-2">{t("col.phase")}</th>
            <th className="px-4 py-2">{t("col.rpo")}</th>
            <th className="px-4 py-2">{t("col.total")}</th>
            <th className="px-4 py-2">{t("col.started")}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((f) => (
            <tr key={`${f.namespace}/${f.name}`} className="border-t border-slate-100">
              <td className="px-4 py-2">
                <Link href={`/failovers/${f.namespace}/${f.name}`} className="font-medium text-sky-700 hover:underline">
                  {f.namespace}/{f.pod}
                </Link>
              </td>
              <td className="px-4 py-2 whitespace-nowrap">
                {f.failedNode} → {f.newNode ?? "…"}
              </td>
              <td className="px-4 py-2">
                <Badge tone={phaseTone(f.phase)}>{f.phase ?? "—"}</Badge>
              </td>
              <td className="px-4 py-2">{duration(f.rpoSeconds)}</td>
              <td className="px-4 py-2">{duration(f.totalSeconds)}</td>
              <td className="px-4 py-2 whitespace-nowrap">{timestamp(f.created)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
