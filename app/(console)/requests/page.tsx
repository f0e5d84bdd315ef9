import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { RequestList } from "@/components/requests/request-list";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { requestList } from "@/lib/console/requests";

export const metadata: Metadata = { title: "Requests" };
export const dynamic = "force-dynamic";

export default async function RequestsPage() {
  const principal = await pagePrincipal("/requests");
  const [initial, t] = await Promise.all([requestList(principal), getTranslations("requests")]);
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <RequestList initial={initial} url="/api/requests" queryKey={["requests"]} />
    </>
  );
}
