"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { parse as parseYaml, stringify } from "yaml";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConsoleApiError, sendJson } from "@/components/live";
import { formSchema, manifestFromForm, valuesFromObject } from "@/lib/console/form-schema";
import type { DryRunResult, RequestView } from "@/lib/console/requests";
import type { KindForm } from "@/operators/kind";
import { kindText, settingText } from "@/lib/console/kind-messages";
import { FieldInput } from "./field-input";

type Mode = { action: "create" } | { action: "change"; name: string; namespace: string };

/** Field path → message, from zod issues (`values.<path>` or `name`/`namespace`) or the server's `details`. */
function errorsByField(issues: { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const key = i.path.startsWith("values.") ? i.path.slice("values.".length) : i.path;
    // A settings key's error belongs to the settings field.
    const field = key.startsWith("spec.config.") ? "spec.config" : key;
    out[field] ??= i.message;
  }
  return out;
}

/**
 * The request form of one kind, drawn from its metadata: the form tab validates as you type (zod,
 * the same rules the server applies), the YAML tab shows the exact custom resource and lets an
 * advanced user edit it, and "check" asks the API server for a dry-run whose errors show inline.
 */
export function RequestForm({ form, namespaces, mode, initialValues }: { form: KindForm; namespaces: string[]; mode: Mode; initialValues: Record<string, unknown> }) {
  const t = useTranslations("requestForm");
  const tk = useTranslations("kinds");
  const text = kindText(tk, form);
  const setting = settingText(tk, useTranslations("settingForms"), form);
  const router = useRouter();
  const [name, setName] = useState(mode.action === "change" ? mode.name : "");
  const [namespace, setNamespace] = useState(mode.action === "change" ? mode.namespace : (namespaces[0] ?? ""));
  const [values, setValues] = useState<Record<string, unknown>>(initialValues);
  const [tab, setTab] = useState<"form" | "yaml">("form");
  const [yamlText, setYamlText] = useState("");
  const [yamlEdited, setYamlEdited] = useState(false);
  const [comment, setComment] = useState("");
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [serverMessage, setServerMessage] = useState<string>();
  const [dryRun, setDryRun] = useState<DryRunResult>();
  const [busy, setBusy] = useState(false);

  const schema = useMemo(() => formSchema(form, namespaces), [form, namespaces]);
  const parsed = schema.safeParse({ name, namespace, values });
  const clientErrors = parsed.success ? {} : errorsByField(parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
  const errors = touched ? { ...serverErrors, ...clientErrors } : serverErrors;
  const formManifest = manifestFromForm(form, { name, namespace, values });

  let yamlError: string | undefined;
  let yamlManifest: Record<string, unknown> | undefined;
  if (tab === "yaml" && yamlEdited) {
    try {
      const doc: unknown = parseYaml(yamlText);
      if (!doc || typeof doc !== "object" || Array.isArray(doc)) yamlError = t("yamlNotObject");
      else yamlManifest = doc as Record<string, unknown>;
    } catch (err) {
      yamlError = err instanceof Error ? err.message : String(err);
    }
  }

  /** The manifest to send: the edited YAML when the user changed it, else the form's. */
  function manifest(): Record<string, unknown> | undefined {
    if (tab === "yaml" && yamlEdited) return yamlManifest;
    setTouched(true);
    return parsed.success ? formManifest : undefined;
  }

  function showYaml() {
    if (!yamlEdited) setYamlText(stringify(formManifest));
    setTab("yaml");
  }

  function showForm() {
    if (yamlEdited && yamlManifest) {
      const meta = (yamlManifest.metadata ?? {}) as { name?: string; namespace?: string };
      setName(meta.name ?? "");
      setNamespace(meta.namespace ?? namespace);
      setValues(valuesFromObject(form, yamlManifest));
      setYamlEdited(false);
    }
    setTab("form");
  }

  function applyServerError(err: unknown) {
    if (err instanceof ConsoleApiError) {
      setServerMessage(err.message);
      setServerErrors(Array.isArray(err.details) ? errorsByField(err.details as { path: string; message: string }[]) : {});
    } else setServerMessage(String(err));
  }

  async function check() {
    const m = manifest();
    if (!m) return;
    setBusy(true);
    setDryRun(undefined);
    setServerMessage(undefined);
    try {
      setDryRun(await sendJson<DryRunResult>("/api/requests/dry-run", "POST", { manifest: m }));
    } catch (err) {
      applyServerError(err);
    } finally {
      setBusy(false);
    }
  }

  async function submit() {
    const m = manifest();
    if (!m) return;
    setBusy(true);
    setServerMessage(undefined);
    setServerErrors({});
    try {
      const created = await sendJson<RequestView>("/api/requests", "POST", { action: mode.action, manifest: m, comment: comment || undefined });
      router.push(`/requests/${created.id}`);
    } catch (err) {
      applyServerError(err);
      setBusy(false);
    }
  }

  const basic = form.fields.filter((f) => !f.advanced);
  const advanced = form.fields.filter((f) => f.advanced);
  const field = (f: KindForm["fields"][number]) => (
    <FieldInput
      key={f.path}
      field={f}
      label={text.label(f)}
      help={text.help(f)}
      setting={(key) => setting(f, key)}
      value={values[f.path]}
      error={errors[f.path]}
      disabled={mode.action === "change" && f.immutable === true}
      onChange={(v) => {
        setValues({ ...values, [f.path]: v });
        setTouched(true);
        setDryRun(undefined);
      }}
    />
  );

  return (
    <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <div className="flex gap-2 border-b border-slate-200" role="tablist">
        {(["form", "yaml"] as const).map((k) => (
          <button
            key={k}
            role="tab"
            type="button"
            aria-selected={tab === k}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${tab === k ? "border-sky-600 font-medium text-sky-700" : "border-transparent text-slate-500"}`}
            onClick={() => (k === "yaml" ? showYaml() : showForm())}
          >
            {t(`tab.${k}`)}
          </button>
        ))}
      </div>

      {tab === "form" ? (
        <div className="space-y-5">
          <div className="grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="field-name" className="text-sm font-medium text-slate-700">
                {t("name")}
              </label>
              <input id="field-name" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm disabled:bg-slate-100" value={name} disabled={mode.action === "change"} onChange={(e) => { setName(e.target.value); setTouched(true); }} />
              {errors.name && <p role="alert" data-testid="error-name" className="mt-1 text-xs font-medium text-red-700">{errors.name}</p>}
            </div>
            <div>
              <label htmlFor="field-namespace" className="text-sm font-medium text-slate-700">
                {t("namespace")}
              </label>
              <select id="field-namespace" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm" value={namespace} disabled={mode.action === "change"} onChange={(e) => setNamespace(e.target.value)}>
                {namespaces.map((ns) => (
                  <option key={ns} value={ns}>
                    {ns}
                  </option>
                ))}
              </select>
              {errors.namespace && <p role="alert" className="mt-1 text-xs font-medium text-red-700">{errors.namespace}</p>}
            </div>
          </div>
          <div className="grid gap-5 sm:grid-cols-2">{basic.map(field)}</div>
          {advanced.length > 0 && (
            <details className="rounded-md border border-slate-200 p-4">
              <summary className="cursor-pointer text-sm font-medium text-slate-700">{t("advanced")}</summary>
              <div className="mt-4 grid gap-5 sm:grid-cols-2">{advanced.map(field)}</div>
            </details>
          )}
        </div>
      ) : (
        <div>
          <p className="mb-2 text-xs text-slate-500">{t("yamlHelp")}</p>
          <textarea
            aria-label={t("tab.yaml")}
            data-testid="yaml-editor"
            spellCheck={false}
            className="h-96 w-full rounded-md border border-slate-300 p-3 font-mono text-xs"
            value={yamlText}
            onChange={(e) => {
              setYamlText(e.target.value);
              setYamlEdited(true);
              setDryRun(undefined);
            }}
          />
          {yamlError && (
            <p role="alert" data-testid="yaml-error" className="mt-1 font-mono text-xs text-red-700">
              {t("yamlInvalid", { error: yamlError })}
            </p>
          )}
        </div>
      )}

      <label className="block text-sm">
        <span className="font-medium text-slate-700">{t("comment")}</span>
        <textarea className="mt-1 w-full rounded-md border border-slate-300 p-2 text-sm" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>

      {dryRun?.ok === true && (
        <p data-testid="dry-run-ok" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-800">
          {t("dryRunOk")}
        </p>
      )}
      {dryRun?.ok === false && (
        <div data-testid="dry-run-errors">
          <ErrorAlert title={t("dryRunFailed")} message={[dryRun.message, ...dryRun.causes.map((c) => `${c.field ?? ""}: ${c.message}`)].join("\n")} />
        </div>
      )}
      {serverMessage && (
        <div data-testid="submit-error">
          <ErrorAlert title={t("refused")} message={serverMessage} />
        </div>
      )}
      {touched && !parsed.success && tab === "form" && <p className="text-sm text-red-700" data-testid="form-invalid">{t("fixErrors")}</p>}

      <div className="flex justify-end gap-2">
        <Button variant="secondary" data-testid="dry-run" disabled={busy || Boolean(yamlError)} onClick={() => void check()}>
          {t("check")}
        </Button>
        <Button data-testid="submit-request" disabled={busy || Boolean(yamlError)} onClick={() => void submit()}>
          {mode.action === "create" ? t("submitCreate") : t("submitChange")}
        </Button>
      </div>
    </div>
  );
}
