"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { timestamp } from "@/components/ui/format";
import { useLive } from "@/components/live";
import type { RequestView } from "@/lib/console/requests";
import { RequestStatusBadge } from "./status-badge";

export function RequestList({ initial, url, queryKey }: { initial: RequestView[]; url: string; queryKey: string[] }) {
  const t = useTranslations("requests");
  const { data } = useLive(queryKey, url, initial, 4000);
  if (data.length === 0) return <p className="text-sm text-slate-500">{t("none")}</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="request-list">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">#</th>
            <th className="px-4 py-2">{t("col.what")}</th>
            <th className="px-4 py-2">{t("col.action")}</th>
            <th className="px-4 py-2">{t("col.status")}</th>
            <th className="px-4 py-2">{t("col.by")}</th>
            <th className="px-4 py-2">{t("col.when")}</th>
            <th className="px-4 py-2">{t("col.decidedBy")}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((r) => (
            <tr key={r.id} data-testid={`request-row-${r.id}`} className="border-t border-slate-100">
              <td className="px-4 py-2">
                <Link href={`/requests/${r.id}`} className="text-sky-700 hover:underline">
                  {r.id}
                </Link>
              </td>
              <td className="px-4 py-2">
                <Link href={`/requests/${r.id}`} className="font-medium hover:underline">
                  {r.kind} {r.namespace}/{r.name}
                </Link>
              </td>
              <td className="px-4 py-2">{t(`action.${r.action}`)}</td>
              <td className="px-4 py-2">
                <RequestStatusBadge status={r.status} />
              </td>
              <td className="px-4 py-2">{r.requestedBy}</td>
              <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-500">{timestamp(r.createdAt)}</td>
              <td className="px-4 py-2 text-xs">{r.decidedBy ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
