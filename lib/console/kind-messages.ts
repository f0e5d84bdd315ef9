import type { FormField, KindForm } from "@/operators/kind";
import type { SettingKind } from "@/operators/shared/settings";

// The request forms in the interface's language. A kind's form metadata (operators/<kind>/form.ts)
// has its texts in English; messages/<locale>.json has them per language under
//   kinds.<Kind>.title, kinds.<Kind>.description, kinds.<Kind>.fields.<field path>.label / .help
// (the field path nested, e.g. kinds.KafkaCluster.fields.spec.storage.size.label).
// The settings a settings field accepts (the config editor) have theirs under
//   kinds.<Kind>.settings.<key>.help, and for a pattern kinds.<Kind>.settings.<key>.expected
// (the key nested at its dots like a field path: kinds.KafkaCluster.settings.log.retention.ms.help);
// the other forms of a value are shared, with parameters: settingForms.boolean, .yesno,
// .integer {min}, .ratio, .enum {values}, .list {values}.
// kind-messages.test.ts fails for any kind or field without texts in every language.

/** The `kinds` namespace of the message catalogue, as next-intl's translators give it. */
export interface KindTranslator {
  (key: string): string;
  has(key: string): boolean;
}

/** The `settingForms` namespace: the forms a setting's value takes, with parameters. */
export interface SettingFormTranslator {
  (key: SettingFormKey, values?: Record<string, string | number>): string;
}

export type SettingFormKey = Exclude<SettingKind["type"], "pattern">;

/** The settings of a kind's settings fields: key, help and value form. */
function settingsOf(form: KindForm) {
  return form.fields.flatMap((f) => Object.entries(f.settings ?? {}).map(([key, s]) => ({ key, ...s })));
}

/** Every message key of a kind's texts (under `kinds`), with the form metadata's English. */
export function kindMessageKeys(form: KindForm): { key: string; english: string }[] {
  return [
    { key: `${form.kind}.title`, english: form.title },
    { key: `${form.kind}.description`, english: form.description },
    ...form.fields.flatMap((f) => [
      { key: `${form.kind}.fields.${f.path}.label`, english: f.label },
      { key: `${form.kind}.fields.${f.path}.help`, english: f.help },
    ]),
    ...settingsOf(form).flatMap((s) => [
      { key: `${form.kind}.settings.${s.key}.help`, english: s.help },
      ...(s.kind.type === "pattern" ? [{ key: `${form.kind}.settings.${s.key}.expected`, english: s.kind.description }] : []),
    ]),
  ];
}

/** A kind's texts in the translator's language, the form metadata's English where a text is missing. */
export function kindText(t: KindTranslator, form: KindForm) {
  const text = (key: string, english: string) => (t.has(key) ? t(key) : english);
  return {
    title: text(`${form.kind}.title`, form.title),
    description: text(`${form.kind}.description`, form.description),
    label: (f: FormField) => text(`${form.kind}.fields.${f.path}.label`, f.label),
    help: (f: FormField) => text(`${form.kind}.fields.${f.path}.help`, f.help),
  };
}

/** The help and value form of a settings field's settings in the translators' language (the English where a help or pattern text is missing). */
export function settingText(t: KindTranslator, forms: SettingFormTranslator, form: KindForm) {
  const text = (key: string, english: string) => (t.has(key) ? t(key) : english);
  return (f: FormField, key: string): { help: string; expected: string } | undefined => {
    const s = f.settings?.[key];
    if (!s) return undefined;
    return { help: text(`${form.kind}.settings.${key}.help`, s.help), expected: s.kind.type === "pattern" ? text(`${form.kind}.settings.${key}.expected`, s.kind.description) : settingForm(forms, s.kind) };
  };
}

/** A setting's value form in the translator's language (a pattern: its English description). */
export function settingForm(t: SettingFormTranslator, kind: SettingKind): string {
  switch (kind.type) {
    case "integer":
      return t("integer", { min: String(kind.min) }); // as written, without grouping (1048576)
    case "enum":
    case "list":
      return t(kind.type, { values: kind.values.join(", ") });
    case "pattern":
      return kind.description;
    default:
      return t(kind.type);
  }
}
