"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { Badge, phaseTone } from "@/components/ui/badge";
import { bytes } from "@/components/ui/format";
import { Card } from "@/components/ui/page-header";
import { UsageBar } from "@/components/ui/usage-bar";
import { useLive } from "@/components/live";
import type { StorageOverview } from "@/lib/console/storage";
import { BackupHealth } from "./backup-health";

/** Pools per node with capacity bars, and the volumes with claim, node, size, use and backup standing. */
export function StorageView({ initial }: { initial: StorageOverview }) {
  const t = useTranslations("storage");
  const { data } = useLive(["storage"], "/api/storage", initial, 5000);
  return (
    <div className="space-y-6">
      <Card title={t("pools")}>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {data.pools.map((p) => (
            <div key={p.node} data-testid={`pool-${p.node}`} className="rounded-md border border-slate-200 p-3">
              <p className="font-medium">{p.node}</p>
              <p className="mb-2 text-xs text-slate-500">{t("volumeCount", { count: p.volumes ?? 0 })}</p>
              <UsageBar used={p.usedBytes ?? 0} secondary={p.allocatedBytes ?? 0} total={p.capacityBytes ?? 0} label={t("poolUsage", { used: bytes(p.usedBytes), allocated: bytes(p.allocatedBytes), capacity: bytes(p.capacityBytes) })} />
              {p.message && <p className="mt-1 text-xs text-amber-700">{p.message}</p>}
            </div>
          ))}
        </div>
      </Card>
      <Card title={t("volumes")} testId="volumes">
        {data.volumes.length === 0 ? (
          <p className="text-sm text-slate-500">{t("noVolumes")}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="py-2 pr-4">{t("col.claim")}</th>
                  <th className="py-2 pr-4">{t("col.node")}</th>
                  <th className="py-2 pr-4">{t("col.usage")}</th>
                  <th className="py-2 pr-4">{t("col.phase")}</th>
                  <th className="py-2 pr-4">{t("col.pod")}</th>
                  <th className="py-2 pr-4">{t("col.backup")}</th>
                </tr>
              </thead>
              <tbody>
                {data.volumes.map((v) => (
                  <tr key={v.name} data-testid={`volume-${v.namespace}-${v.claim}`} className="border-t border-slate-100">
                    <td className="py-2 pr-4">
                      <Link href={`/storage/volumes/${v.name}`} className="font-medium text-sky-700 hover:underline">
                        {v.namespace}/{v.claim}
                      </Link>
                      <p className="font-mono text-xs text-slate-400">{v.name}</p>
                    </td>
                    <td className="py-2 pr-4 whitespace-nowrap">{v.node}{v.movedTo && <span className="ml-1 text-xs text-amber-700">→ {v.movedTo}</span>}</td>
                    <td className="py-2 pr-4">
                      <UsageBar used={v.usedBytes ?? 0} total={v.capacityBytes ?? 0} label={`${bytes(v.usedBytes)} / ${bytes(v.capacityBytes)}`} />
                    </td>
                    <td className="py-2 pr-4">
                      <Badge tone={phaseTone(v.phase)}>{v.phase ?? "—"}</Badge>
                    </td>
                    <td className="py-2 pr-4 font-mono text-xs">{v.pod ?? "—"}</td>
                    <td className="py-2 pr-4">
                      <BackupHealth standing={v.backup} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
