import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { VolumeDetailView } from "@/components/storage/volume-detail";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/principal";
import { volumeDetail } from "@/lib/console/storage";

export const metadata: Metadata = { title: "Volume" };
export const dynamic = "force-dynamic";

export default async function VolumePage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const principal = await pagePrincipal(`/storage/volumes/${name}`);
  const detail = await volumeDetail(principal, name);
  // Someone else's volume looks exactly like a missing one.
  if (!detail) notFound();
  const t = await getTranslations("volume");
  return (
    <>
      <PageHeader
        title={`${detail.volume.namespace}/${detail.volume.claim}`}
        subtitle={
          <>
            <Link href="/storage" className="text-sky-700 hover:underline">
              {t("back")}
            </Link>{" "}
            · <span className="font-mono">{name}</span>
          </>
        }
      />
      <VolumeDetailView name={name} initial={detail} canRestore={hasRole(principal, "approver")} />
    </>
  );
}
