import { getTranslations } from "next-intl/server";

/** What a page shows a signed-in user whose role does not allow it (HTTP routes answer 403). */
export async function Forbidden() {
  const t = await getTranslations("common");
  return (
    <div role="alert" data-testid="forbidden" className="rounded-md border border-amber-200 bg-amber-50 p-6 text-amber-900">
      <p className="font-medium">{t("forbiddenTitle")}</p>
      <p className="mt-1 text-sm">{t("forbiddenBody")}</p>
    </div>
  );
}
