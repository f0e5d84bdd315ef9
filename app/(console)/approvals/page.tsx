import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ApprovalQueue } from "@/components/requests/approval-queue";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { requestList } from "@/lib/console/requests";

export const metadata: Metadata = { title: "Approvals" };
export const dynamic = "force-dynamic";

export default async function ApprovalsPage() {
  const principal = await pagePrincipal("/approvals", "approver");
  if (principal.forbidden) return <Forbidden />;
  const [initial, t] = await Promise.all([requestList(principal, { status: ["pending"] }), getTranslations("approvals")]);
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <ApprovalQueue initial={initial} />
    </>
  );
}
