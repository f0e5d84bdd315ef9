import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { FailoverList } from "@/components/failovers/failover-list";
import { ErrorAlert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { failoverList } from "@/lib/console/failovers";
import { apiMessage } from "@/lib/k8s/errors";

export const metadata: Metadata = { title: "Failovers" };
export const dynamic = "force-dynamic";

export default async function FailoversPage() {
  const principal = await pagePrincipal("/failovers");
  const t = await getTranslations("failovers");
  const initial = await failoverList(principal).catch((err: unknown) => ({ error: apiMessage(err) }));
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      {"error" in initial ? <ErrorAlert title={t("unreachable")} message={initial.error} /> : <FailoverList initial={initial} />}
    </>
  );
}
