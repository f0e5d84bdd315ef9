import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { middlewareKinds, type KindOptions } from "@/operators/kinds";
import { kindMessageKeys } from "./kind-messages";

// Every kind the operators run (operators/kinds.ts, so a new kind is caught before it reaches the
// catalog) must have its catalog texts and every field's label and help in every interface
// language, and the English must be the form metadata's own.

const LANGUAGES = { en, "zh-CN": zh } as const;
const forms = middlewareKinds({} as KindOptions).map((k) => k.form);

function leaf(tree: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe.each(Object.entries(LANGUAGES))("request-form texts in %s", (locale, messages) => {
  it.each(forms.map((f) => [f.kind, f] as const))("%s has every text", (kind, form) => {
    const missing = kindMessageKeys(form).filter(({ key }) => typeof leaf(messages.kinds, key) !== "string" || (leaf(messages.kinds, key) as string).trim() === "");
    expect(
      missing.map((m) => `kinds.${m.key}`),
      `add to messages/${locale}.json (nested objects, e.g. "kinds": {"${kind}": {"fields": {"spec": {"replicas": {"label": …, "help": …}}}}}) — English: ${JSON.stringify(Object.fromEntries(missing.map((m) => [`kinds.${m.key}`, m.english])), null, 1)}`,
    ).toEqual([]);
  });
});

describe("English request-form texts", () => {
  const t = createTranslator({ locale: "en", messages: en, namespace: "kinds" });
  it.each(forms.flatMap((f) => kindMessageKeys(f).map((k) => [k.key, k.english] as const)))("%s is the form metadata's text", (key, english) => {
    // Formatted as the console formats it (ICU: quotes and braces would change the text).
    if (typeof leaf(en.kinds, key) === "string") expect(t(key as never), `messages/en.json kinds.${key} differs from the form metadata`).toBe(english);
  });
});

describe("Simplified Chinese request-form texts", () => {
  const t = createTranslator({ locale: "zh-CN", messages: zh, namespace: "kinds" });
  it.each(forms.flatMap((f) => kindMessageKeys(f).filter((k) => !k.key.endsWith(".title")).map((k) => [k.key] as const)))("%s is translated and formats", (key) => {
    if (typeof leaf(zh.kinds, key) !== "string") return; // reported above, with what to add
    const text = t(key as never);
    expect(text).toMatch(/\p{Script=Han}/u);
  });
});
