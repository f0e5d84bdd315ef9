"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { parseSignInError } from "@/lib/auth/sign-in-errors";

/** The sign-in page's form; `initialError` is next-auth's error code from the page's address. */
export function SignInForm({ callbackUrl, providers, initialError }: { callbackUrl: string; providers: { id: string; name: string }[]; initialError?: string }) {
  const t = useTranslations("signIn");
  const router = useRouter();
  const describe = (code: string) => {
    const e = parseSignInError(code);
    if (e.kind === "tooMany") return t("tooMany", { minutes: e.minutes });
    if (e.kind === "denied") return t("denied");
    if (e.kind === "provider") return t("providerFailed");
    return t("failed");
  };
  const [error, setError] = useState(initialError === undefined ? undefined : describe(initialError));
  const [busy, setBusy] = useState(false);

  // onSubmit rather than a form action: React resets a form after its action runs, which would clear
  // the username after a wrong password.
  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    const res = await signIn("credentials", { username: form.get("username"), password: form.get("password"), redirect: false, callbackUrl });
    setBusy(false);
    if (!res || res.error) {
      setError(describe(res?.error ?? ""));
      return;
    }
    router.replace(callbackUrl);
    router.refresh();
  }

  return (
    <>
      <form onSubmit={(e) => void submit(e)} className="mt-6 space-y-4">
        <label className="block text-sm">
          <span className="text-slate-700">{t("username")}</span>
          <input name="username" autoComplete="username" required className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <label className="block text-sm">
          <span className="text-slate-700">{t("password")}</span>
          <input name="password" type="password" autoComplete="current-password" required className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        <Button type="submit" disabled={busy} className="w-full py-2">
          {t("submit")}
        </Button>
      </form>
      {providers.map((p) => (
        <Button key={p.id} variant="secondary" className="mt-3 w-full py-2" onClick={() => void signIn(p.id, { callbackUrl })}>
          {t("with", { provider: p.name })}
        </Button>
      ))}
    </>
  );
}
