import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { LocaleSwitcher } from "@/components/shell/locale-switcher";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentPrincipal } from "@/lib/auth/guard";
import { signInProviders } from "@/lib/auth/options";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/** Only paths on this console: never an absolute URL (no open redirect through the sign-in page). */
function safeCallback(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return v && v.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\") ? v : "/clusters";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentPrincipal()) redirect(callbackUrl);
  const t = await getTranslations("signIn");
  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-6 px-4">
      <div className="absolute right-6 top-4">
        <LocaleSwitcher />
      </div>
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">
          XLSS <span className="text-sky-600">PaaS</span>
        </h1>
        <p className="mt-1 text-sm text-slate-500">{t("subtitle")}</p>
        <SignInForm callbackUrl={callbackUrl} providers={signInProviders()} initialError={typeof params.error === "string" ? params.error : undefined} />
      </div>
    </div>
  );
}
