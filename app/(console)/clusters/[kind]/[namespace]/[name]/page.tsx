import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ClusterDetailView } from "@/components/clusters/cluster-detail";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { catalogKind } from "@/lib/console/catalog";
import { clusterDetail } from "@/lib/console/clusters";
import { requestList } from "@/lib/console/requests";

export const metadata: Metadata = { title: "Cluster" };
export const dynamic = "force-dynamic";

export default async function ClusterPage({ params }: { params: Promise<{ kind: string; namespace: string; name: string }> }) {
  const { kind, namespace, name } = await params;
  const principal = await pagePrincipal(`/clusters/${kind}/${namespace}/${name}`);
  const form = catalogKind(kind);
  const detail = form ? await clusterDetail(principal, kind, namespace, name) : undefined;
  if (!form || !detail) notFound();
  const [requests, t] = await Promise.all([requestList(principal, { kind: form.kind, namespace, name }), getTranslations("clusters")]);
  return (
    <>
      <PageHeader
        title={`${namespace}/${name}`}
        subtitle={
          <>
            <Link href="/clusters" className="text-sky-700 hover:underline">
              {t("back")}
            </Link>{" "}
            · {form.title}
          </>
        }
      />
      <ClusterDetailView initial={detail} requests={requests} plural={form.plural} apiVersion={form.apiVersion} />
    </>
  );
}
