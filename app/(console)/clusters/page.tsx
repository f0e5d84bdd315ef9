import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ClusterList } from "@/components/clusters/cluster-list";
import { ErrorAlert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { clusterList } from "@/lib/console/clusters";
import { apiMessage } from "@/lib/k8s/errors";

export const metadata: Metadata = { title: "Clusters" };
export const dynamic = "force-dynamic";

export default async function ClustersPage() {
  const principal = await pagePrincipal("/clusters");
  const t = await getTranslations("clusters");
  const initial = await clusterList(principal).catch((err: unknown) => ({ error: apiMessage(err) }));
  return (
    <>
      <PageHeader
        title={t("title")}
        subtitle={t("subtitle")}
        actions={
          <Link href="/catalog" className="rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700">
            {t("new")}
          </Link>
        }
      />
      {"error" in initial ? <ErrorAlert title={t("unreachable")} message={initial.error} /> : <ClusterList initial={initial} />}
    </>
  );
}
