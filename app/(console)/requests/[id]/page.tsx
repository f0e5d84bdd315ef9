import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { RequestDetailView } from "@/components/requests/request-detail";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/principal";
import { requestDetail } from "@/lib/console/requests";

export const metadata: Metadata = { title: "Request" };
export const dynamic = "force-dynamic";

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await pagePrincipal(`/requests/${id}`);
  if (!/^\d+$/.test(id)) notFound();
  const detail = await requestDetail(principal, Number(id));
  if (!detail) notFound();
  const t = await getTranslations("requests");
  const r = detail.request;
  return (
    <>
      <PageHeader
        title={t("detailTitle", { id: r.id, kind: r.kind, name: `${r.namespace}/${r.name}` })}
        subtitle={
          <Link href="/requests" className="text-sky-700 hover:underline">
            {t("back")}
          </Link>
        }
      />
      <RequestDetailView initial={detail} canDecide={hasRole(principal, "approver")} />
    </>
  );
}
