import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { BackupsView } from "@/components/storage/backups-view";
import { ErrorAlert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { recentBackups, storageOverview } from "@/lib/console/storage";
import { apiMessage } from "@/lib/k8s/errors";

export const metadata: Metadata = { title: "Backups" };
export const dynamic = "force-dynamic";

export default async function BackupsPage() {
  const principal = await pagePrincipal("/backups");
  const t = await getTranslations("backups");
  const data = await Promise.all([storageOverview(principal), recentBackups(principal)]).catch((err: unknown) => ({ error: apiMessage(err) }));
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      {"error" in data ? <ErrorAlert title={t("unreachable")} message={data.error} /> : <BackupsView overview={data[0]} backups={data[1]} />}
    </>
  );
}
