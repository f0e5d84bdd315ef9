/** Interface languages, the first the default; the cookie remembers a user's choice. */
export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "NEXT_LOCALE";

/** The cookie's locale if valid, else the first Accept-Language match, else English. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (LOCALES.includes(cookie as Locale)) return cookie as Locale;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0]?.trim().toLowerCase() ?? "";
    if (tag.startsWith("zh")) return "zh-CN";
    if (tag.startsWith("en")) return "en";
  }
  return DEFAULT_LOCALE;
}
