import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { CATALOG } from "@/lib/console/catalog";
import { kindText } from "@/lib/console/kind-messages";
import { clusterInformer } from "@/lib/console/cluster-cache";

export const metadata: Metadata = { title: "Catalog" };
export const dynamic = "force-dynamic";

export default async function CatalogPage() {
  await pagePrincipal("/catalog");
  const [t, tk] = await Promise.all([getTranslations("catalog"), getTranslations("kinds")]);
  // A kind whose CRD this cluster lacks is shown but cannot be requested.
  const installed = await Promise.all(CATALOG.map(async (k) => (await clusterInformer(k.kind).catch(() => undefined)) !== undefined));
  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {CATALOG.map((k, i) => ({ k, text: kindText(tk, k), i })).map(({ k, text, i }) => (
          <div key={k.kind} className="flex flex-col rounded-lg border border-slate-200 bg-white p-5">
            <h2 className="text-lg font-semibold">{text.title}</h2>
            <p className="mt-1 flex-1 text-sm text-slate-600">{text.description}</p>
            <p className="mt-2 font-mono text-xs text-slate-400">
              {k.apiVersion} {k.kind}
            </p>
            {installed[i] ? (
              <Link href={`/catalog/${k.plural}`} data-testid={`request-${k.plural}`} className="mt-4 self-start rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700">
                {t("request", { title: text.title })}
              </Link>
            ) : (
              <p className="mt-4 text-sm text-amber-700">{t("notInstalled")}</p>
            )}
          </div>
        ))}
      </div>
    </>
  );
}
