import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { StorageView } from "@/components/storage/storage-view";
import { ErrorAlert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { storageOverview } from "@/lib/console/storage";
import { apiMessage } from "@/lib/k8s/errors";

export const metadata: Metadata = { title: "Storage" };
export const dynamic = "force-dynamic";

export default async function StoragePage() {
  const principal = await pagePrincipal("/storage");
  const t = await getTranslations("storage");
  const initial = await storageOverview(principal).catch((err: unknown) => ({ error: apiMessage(err) }));
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      {"error" in initial ? <ErrorAlert title={t("unreachable")} message={initial.error} /> : <StorageView initial={initial} />}
    </>
  );
}
