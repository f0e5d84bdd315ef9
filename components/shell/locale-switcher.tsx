"use client";

import { useLocale } from "next-intl";
import { useRouter } from "next/navigation";
import { LOCALE_COOKIE, LOCALES, type Locale } from "@/i18n/locales";

const NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

/** Stores the chosen language in a cookie and re-renders the page on the server in it. */
export function LocaleSwitcher() {
  const locale = useLocale();
  const router = useRouter();
  return (
    <select
      aria-label="Language / 语言"
      data-testid="locale-switcher"
      value={locale}
      className="rounded border border-slate-300 bg-white px-2 py-1 text-sm"
      onChange={(e) => {
        document.cookie = `${LOCALE_COOKIE}=${e.target.value}; path=/; max-age=31536000; samesite=lax`;
        router.refresh();
      }}
    >
      {LOCALES.map((l) => (
        <option key={l} value={l}>
          {NAMES[l]}
        </option>
      ))}
    </select>
  );
}
