import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminView } from "@/components/admin/admin-view";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { adminOverview } from "@/lib/console/admin";

export const metadata: Metadata = { title: "Users & teams" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const principal = await pagePrincipal("/admin", "admin");
  if (principal.forbidden) return <Forbidden />;
  const [initial, t] = await Promise.all([adminOverview(), getTranslations("admin")]);
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <AdminView initial={initial} />
    </>
  );
}
