import { z } from "zod";
import type { FormField, KindForm } from "@/operators/kind";

// A kind's request form as a zod schema, built from the kind's form metadata (operators/<kind>/form.ts),
// and the custom resource the form's values make. Used in the browser (instant errors) and on the
// server (the same rules again before anything is stored or dry-run).

/** A Kubernetes quantity: 500m, 2, 1.5, 4Gi, 100M. */
export const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
/** An RFC 1035 label, as the kinds' names and namespaces must be. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** One field's rule; `undefined`/"" mean "left out" unless the field is required. */
export function fieldSchema(field: FormField): z.ZodType {
  let s: z.ZodType;
  switch (field.type) {
    case "integer": {
      let n = z.number({ error: "a whole number" }).int("a whole number");
      if (field.min !== undefined) n = n.min(field.min, `at least ${field.min}`);
      if (field.max !== undefined) n = n.max(field.max, `at most ${field.max}`);
      s = n;
      break;
    }
    case "boolean":
      s = z.boolean();
      break;
    case "select": {
      const options = field.options ?? [];
      s = z.union(options.map((o) => z.literal(o)) as unknown as [z.ZodLiteral, z.ZodLiteral, ...z.ZodLiteral[]], { error: `one of ${options.join(", ")}` });
      break;
    }
    case "quantity":
      s = z.string().regex(QUANTITY, "a quantity such as 500m, 2, 4Gi or 100Gi");
      break;
    case "settings": {
      const known = Object.keys(field.settings ?? {});
      s = z.record(z.string(), z.union([z.string(), z.number()])).superRefine((value, ctx) => {
        for (const key of Object.keys(value)) {
          if (!known.includes(key)) ctx.addIssue({ code: "custom", path: [key], message: `${key} is not a setting this kind accepts` });
        }
      });
      break;
    }
    default:
      s = z.string().max(500);
  }
  return field.required ? s : s.optional();
}

/** The whole form: name, namespace and each field by its path. */
export function formSchema(form: KindForm, namespaces?: readonly string[]) {
  const fields: Record<string, z.ZodType> = Object.fromEntries(form.fields.map((f) => [f.path, fieldSchema(f)]));
  return z.object({
    name: z.string().min(1, "required").max(40, "at most 40 characters").regex(DNS_LABEL, "lower-case letters, digits and '-', starting with a letter"),
    namespace: namespaces
      ? z.string().refine((ns) => namespaces.includes(ns), "not one of your team's namespaces")
      : z.string().regex(DNS_LABEL, "a namespace name"),
    values: z.object(fields),
  });
}
export type FormInput = z.infer<ReturnType<typeof formSchema>>;

/** Starting values: each field's default. */
export function defaultValues(form: KindForm): Record<string, unknown> {
  return Object.fromEntries(form.fields.filter((f) => f.default !== undefined).map((f) => [f.path, f.default]));
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

export function getPath(source: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), source);
}

/**
 * The custom resource a filled form asks for. Fields left empty or at their default are left out:
 * the API server fills those in itself (that is what a field's `default` means), and a default
 * sent explicitly can be wrong on its own — a backup retention without a schedule is refused.
 */
export function manifestFromForm(form: KindForm, input: { name: string; namespace: string; values: Record<string, unknown> }): Record<string, unknown> {
  const manifest: Record<string, unknown> = { apiVersion: form.apiVersion, kind: form.kind, metadata: { name: input.name, namespace: input.namespace } };
  for (const field of form.fields) {
    const value = input.values[field.path];
    if (value === undefined || value === "" || value === field.default || (field.type === "settings" && Object.keys(value as object).length === 0)) continue;
    setPath(manifest, field.path, value);
  }
  return manifest;
}

/** The form's values found in an existing resource (to request a change to it). */
export function valuesFromObject(form: KindForm, obj: unknown): Record<string, unknown> {
  return Object.fromEntries(form.fields.map((f) => [f.path, getPath(obj, f.path)]).filter(([, v]) => v !== undefined));
}
