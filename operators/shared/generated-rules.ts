import { stringify } from "yaml";
import { configValidationRules } from "./config-rules";
import type { SettingsTable } from "./settings";

const BEGIN = /^( *)# BEGIN generated[^\n]*\n/m;
const END = /^ *# END generated\n/m;

/**
 * The CRD text with the block between its `# BEGIN generated` and `# END generated` lines replaced
 * by the spec.config rules of `table`, indented like the BEGIN line.
 */
export function withGeneratedRules(crd: string, table: SettingsTable): string {
  const begin = BEGIN.exec(crd);
  const end = END.exec(crd);
  if (!begin || !end || end.index < begin.index) throw new Error("the CRD has no '# BEGIN generated' … '# END generated' block");
  const indent = begin[1] ?? "";
  const body = stringify(configValidationRules(table), { lineWidth: 0 })
    .trimEnd()
    .split("\n")
    .map((line) => indent + line)
    .join("\n");
  return crd.slice(0, begin.index + begin[0].length) + body + "\n" + crd.slice(end.index);
}
