"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge, phaseTone } from "@/components/ui/badge";
import { useLive } from "@/components/live";
import type { ClusterSummary } from "@/lib/console/clusters";

export const clusterHref = (c: { kind: string; namespace: string; name: string }) => `/clusters/${c.kind.toLowerCase()}/${c.namespace}/${c.name}`;

/** Every visible cluster, live; a filter narrows by namespace or name. */
export function ClusterList({ initial }: { initial: ClusterSummary[] }) {
  const t = useTranslations("clusters");
  const { data } = useLive(["clusters"], "/api/clusters", initial, 5000);
  const [filter, setFilter] = useState("");
  const shown = filter ? data.filter((c) => `${c.namespace}/${c.name}`.includes(filter)) : data;
  return (
    <div className="space-y-3">
      <input aria-label={t("filter")} placeholder={t("filter")} className="w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {shown.length === 0 ? (
        <p className="text-sm text-slate-500">{t("none")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" data-testid="cluster-list">
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">{t("col.name")}</th>
                <th className="px-4 py-2">{t("col.kind")}</th>
                <th className="px-4 py-2">{t("col.phase")}</th>
                <th className="px-4 py-2">{t("col.ready")}</th>
                <th className="px-4 py-2">{t("col.version")}</th>
                <th className="px-4 py-2">{t("col.endpoint")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={`${c.kind}/${c.namespace}/${c.name}`} data-testid={`cluster-${c.namespace}-${c.name}`} className="border-t border-slate-100">
                  <td className="px-4 py-2">
                    <Link href={clusterHref(c)} className="font-medium text-sky-700 hover:underline">
                      {c.namespace}/{c.name}
                    </Link>
                  </td>
                  <td className="px-4 py-2">{c.title}</td>
                  <td className="px-4 py-2">
                    <Badge tone={phaseTone(c.phase)}>{c.phase ?? t("pending")}</Badge>
                  </td>
                  <td className="px-4 py-2 tabular-nums">
                    {c.readyReplicas ?? 0}/{c.desiredReplicas ?? c.replicas ?? "?"}
                  </td>
                  <td className="px-4 py-2">{c.version ?? "—"}</td>
                  <td className="px-4 py-2 font-mono text-xs">{c.endpoint ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
