import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import zh from "@/messages/zh-CN.json";
import { middlewareKinds, type KindOptions } from "@/operators/kinds";
import { describeKind } from "@/operators/shared/settings";
import { kindMessageKeys, settingForm, type SettingFormKey, type SettingFormTranslator } from "./kind-messages";

// Every kind the operators run (operators/kinds.ts, so a new kind is caught before it reaches the
// catalog) must have its catalog texts, every field's label and help, and every setting's help (and
// a pattern setting's value form) in every interface language, and the English must be the form
// metadata's own. The shared value forms (settingForms) must word every setting as describeKind does.

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
      `add to messages/${locale}.json (nested objects, e.g. "kinds": {"${kind}": {"fields": {"spec": {"replicas": {"label": …, "help": …}}}, "settings": {"log": {"retention": {"ms": {"help": …}}}}}}) — English: ${JSON.stringify(Object.fromEntries(missing.map((m) => [`kinds.${m.key}`, m.english])), null, 1)}`,
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

const SETTING_FORMS: readonly SettingFormKey[] = ["boolean", "yesno", "integer", "ratio", "enum", "list"];
const settings = forms.flatMap((form) => form.fields.flatMap((f) => Object.entries(f.settings ?? {}).map(([key, s]) => [`${form.kind} ${key}`, s] as const)));

describe.each(Object.entries(LANGUAGES))("setting value forms in %s", (locale, messages) => {
  it("has every form", () => {
    const missing = SETTING_FORMS.filter((k) => typeof leaf(messages.settingForms, k) !== "string" || (leaf(messages.settingForms, k) as string).trim() === "");
    expect(
      missing.map((k) => `settingForms.${k}`),
      `add to messages/${locale}.json — English: ${JSON.stringify(Object.fromEntries(missing.map((k) => [`settingForms.${k}`, leaf(en.settingForms, k)])))}`,
    ).toEqual([]);
  });
});

describe("English setting value forms", () => {
  const t = createTranslator({ locale: "en", messages: en, namespace: "settingForms" }) as unknown as SettingFormTranslator;
  it.each(settings)("%s is worded as the settings table's describeKind", (_, s) => {
    expect(settingForm(t, s.kind)).toBe(describeKind(s.kind));
    expect(s.expected).toBe(describeKind(s.kind));
  });
});

describe("Simplified Chinese setting value forms", () => {
  const t = createTranslator({ locale: "zh-CN", messages: zh, namespace: "settingForms" }) as unknown as SettingFormTranslator;
  it.each(settings.filter(([, s]) => s.kind.type !== "pattern"))("%s is translated and keeps its parameters", (_, s) => {
    const text = settingForm(t, s.kind);
    expect(text).toMatch(/\p{Script=Han}/u);
    if (s.kind.type === "integer") expect(text).toContain(String(s.kind.min));
    if (s.kind.type === "enum" || s.kind.type === "list") for (const v of s.kind.values) expect(text).toContain(v);
  });
});
