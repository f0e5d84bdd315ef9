import type { FormField, KindForm } from "@/operators/kind";

// The request forms in the interface's language. A kind's form metadata (operators/<kind>/form.ts)
// has its texts in English; messages/<locale>.json has them per language under
//   kinds.<Kind>.title, kinds.<Kind>.description, kinds.<Kind>.fields.<field path>.label / .help
// (the field path nested, e.g. kinds.KafkaCluster.fields.spec.storage.size.label).
// kind-messages.test.ts fails for any kind or field without texts in every language.

/** The `kinds` namespace of the message catalogue, as next-intl's translators give it. */
export interface KindTranslator {
  (key: string): string;
  has(key: string): boolean;
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
