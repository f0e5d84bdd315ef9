"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { FormField } from "@/operators/kind";

const inputClass = "mt-1 w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm disabled:bg-slate-100 disabled:text-slate-500";

/** A number typed into a settings value stays a number (YAML would read it so). */
const settingValue = (text: string): string | number => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/** A setting's help and the form of its value, in the interface's language (undefined: not a known setting). */
type SettingText = (key: string) => { help: string; expected: string } | undefined;

function SettingsInput({
  field,
  setting,
  value,
  onChange,
  disabled,
}: {
  field: FormField;
  setting: SettingText;
  value: Record<string, string | number>;
  onChange: (v: Record<string, string | number>) => void;
  disabled: boolean;
}) {
  const t = useTranslations("requestForm");
  const [key, setKey] = useState("");
  const known = Object.entries(field.settings ?? {});
  return (
    <div className="mt-1 space-y-2">
      {Object.entries(value).map(([k, v]) => {
        const text = setting(k);
        return (
          <div key={k}>
            <div className="flex items-center gap-2">
              <span className="w-72 truncate font-mono text-xs" title={text?.help}>
                {k}
              </span>
              <input aria-label={k} className={inputClass} value={String(v)} disabled={disabled} onChange={(e) => onChange({ ...value, [k]: settingValue(e.target.value) })} />
              <button type="button" className="text-xs text-red-700" disabled={disabled} onClick={() => onChange(Object.fromEntries(Object.entries(value).filter(([x]) => x !== k)))}>
                {t("remove")}
              </button>
            </div>
            {text && (
              <p className="mt-0.5 text-xs text-slate-500">
                {text.help} — {text.expected}
              </p>
            )}
          </div>
        );
      })}
      <div className="flex gap-2">
        <select aria-label={t("addSetting")} className={inputClass} value={key} disabled={disabled} onChange={(e) => setKey(e.target.value)}>
          <option value="">{t("addSetting")}</option>
          {known
            .filter(([k]) => !(k in value))
            .map(([k]) => (
              <option key={k} value={k} title={setting(k)?.help}>
                {k} — {setting(k)?.expected}
              </option>
            ))}
        </select>
        <button
          type="button"
          className="shrink-0 whitespace-nowrap rounded-md border border-slate-300 px-3 text-sm"
          disabled={!key || disabled}
          onClick={() => {
            onChange({ ...value, [key]: "" });
            setKey("");
          }}
        >
          {t("add")}
        </button>
      </div>
    </div>
  );
}

/** One form field drawn from the kind's metadata, with its label and help (and a settings field's per-setting texts) in the interface's language, and its error. */
export function FieldInput({
  field,
  label,
  help,
  setting,
  value,
  onChange,
  error,
  disabled,
}: {
  field: FormField;
  label: string;
  help: string;
  setting: SettingText;
  value: unknown;
  onChange: (v: unknown) => void;
  error?: string;
  disabled: boolean;
}) {
  const id = `field-${field.path}`;
  let control: React.ReactNode;
  switch (field.type) {
    case "boolean":
      control = <input id={id} type="checkbox" className="mt-2" checked={value === true} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />;
      break;
    case "integer":
      control = (
        <input
          id={id}
          type="number"
          className={inputClass}
          value={typeof value === "number" ? value : ""}
          min={field.min}
          max={field.max}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      );
      break;
    case "select":
      control = (
        <select
          id={id}
          className={inputClass}
          value={value === undefined ? "" : String(value)}
          disabled={disabled}
          onChange={(e) => onChange(field.options?.find((o) => String(o) === e.target.value))}
        >
          {field.options?.map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </select>
      );
      break;
    case "settings":
      control = <SettingsInput field={field} setting={setting} value={(value as Record<string, string | number> | undefined) ?? {}} onChange={onChange} disabled={disabled} />;
      break;
    default:
      control = <input id={id} className={inputClass} value={typeof value === "string" ? value : ""} disabled={disabled} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div>
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {control}
      <p className="mt-1 text-xs text-slate-500">{help}</p>
      {error && (
        <p role="alert" data-testid={`error-${field.path}`} className="mt-1 text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
