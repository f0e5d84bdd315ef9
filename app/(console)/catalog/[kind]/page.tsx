import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { RequestForm } from "@/components/requests/request-form";
import { Notice } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pagePrincipal } from "@/lib/auth/guard";
import { catalogKind } from "@/lib/console/catalog";
import { kindText } from "@/lib/console/kind-messages";
import { visibleCluster } from "@/lib/console/clusters";
import { defaultValues, valuesFromObject } from "@/lib/console/form-schema";
import { requestableNamespaces } from "@/lib/console/namespaces";

export const metadata: Metadata = { title: "Request" };
export const dynamic = "force-dynamic";

/** A new cluster of a kind, or (with ?namespace=&name=) a change to an existing one. */
export default async function RequestFormPage({ params, searchParams }: { params: Promise<{ kind: string }>; searchParams: Promise<{ namespace?: string; name?: string }> }) {
  const { kind } = await params;
  const { namespace, name } = await searchParams;
  const principal = await pagePrincipal(`/catalog/${kind}`);
  const form = catalogKind(kind);
  if (!form) notFound();
  const [t, tk] = await Promise.all([getTranslations("catalog"), getTranslations("kinds")]);
  const text = kindText(tk, form);
  const namespaces = await requestableNamespaces(principal);
  if (namespace && name) {
    const live = await visibleCluster(principal, form.kind, namespace, name);
    if (!live) notFound();
    return (
      <>
        <PageHeader title={t("changeTitle", { title: text.title, name: `${namespace}/${name}` })} subtitle={t("changeSubtitle")} />
        <RequestForm form={form} namespaces={[namespace]} mode={{ action: "change", namespace, name }} initialValues={valuesFromObject(form, live)} />
      </>
    );
  }
  return (
    <>
      <PageHeader title={t("newTitle", { title: text.title })} subtitle={text.description} />
      {namespaces.length === 0 ? <Notice>{t("noNamespaces")}</Notice> : <RequestForm form={form} namespaces={namespaces} mode={{ action: "create" }} initialValues={defaultValues(form)} />}
    </>
  );
}
