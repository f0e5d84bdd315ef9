import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { timestamp } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { auditLog } from "@/lib/console/audit";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

export default async function AuditPage() {
  const principal = await pagePrincipal("/audit");
  const [rows, t] = await Promise.all([auditLog(principal), getTranslations("audit")]);
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="audit">
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2">{t("col.at")}</th>
              <th className="px-4 py-2">{t("col.actor")}</th>
              <th className="px-4 py-2">{t("col.action")}</th>
              <th className="px-4 py-2">{t("col.target")}</th>
              <th className="px-4 py-2">{t("col.detail")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-t border-slate-100 align-top">
                <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-500">{timestamp(r.at)}</td>
                <td className="px-4 py-2">{r.actor}</td>
                <td className="px-4 py-2 font-mono text-xs">{r.action}</td>
                <td className="px-4 py-2 font-mono text-xs">{r.target}</td>
                <td className="max-w-md truncate px-4 py-2 font-mono text-xs text-slate-500">{Object.keys(r.detail).length ? JSON.stringify(r.detail) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
