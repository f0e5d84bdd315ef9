import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { FailoverDetailView } from "@/components/failovers/failover-detail";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { failoverDetail } from "@/lib/console/failovers";

export const metadata: Metadata = { title: "Failover" };
export const dynamic = "force-dynamic";

export default async function FailoverPage({ params }: { params: Promise<{ namespace: string; name: string }> }) {
  const { namespace, name } = await params;
  const principal = await pagePrincipal(`/failovers/${namespace}/${name}`);
  const detail = await failoverDetail(principal, namespace, name);
  if (!detail) notFound();
  const t = await getTranslations("failovers");
  return (
    <>
      <PageHeader
        title={`${namespace}/${detail.failover.pod}`}
        subtitle={
          <Link href="/failovers" className="text-sky-700 hover:underline">
            {t("back")}
          </Link>
        }
      />
      <FailoverDetailView initial={detail} />
    </>
  );
}
