import { celCode, describeKind, type SettingsTable } from "./settings";

/** One entry of a CRD schema's `x-kubernetes-validations`. */
export interface ValidationRule {
  rule: string;
  messageExpression: string;
  reason?: "FieldValueInvalid" | "FieldValueForbidden";
}

/** A CEL string literal of `s` (backslashes and quotes escaped). */
const quote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
const mapLiteral = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(", ")}}`;

/**
 * The CEL rules of `spec.config` (a map of setting → value), generated from a kind's settings table:
 * settings the operator manages are refused with the field to use instead, unknown settings are
 * refused by name, and each known setting's value must fit its kind.
 */
export function configValidationRules(table: SettingsTable): ValidationRule[] {
  const managed = mapLiteral(Object.entries(table.managed));
  const known = mapLiteral(Object.entries(table.known).map(([k, s]) => [k, celCode(s.kind)]));
  // CRD rules have no cel.bind: `[x].all(name, …)` and `[x].map(name, …)[0]` bind a name to a value
  // once instead of repeating the (long) map literal in every use.
  // Values are ints or strings (x-kubernetes-int-or-string); `string()` gives the text Kafka reads.
  const valid =
    `[${known}[k]].all(c, [string(self[k])].all(v, ` +
    `c == 'bool' ? v in ['true', 'false'] : ` +
    `c == 'yesno' ? v in ['yes', 'no'] : ` +
    `c.startsWith('re:') ? v.matches(c.substring(3)) : ` +
    `c.startsWith('int:') ? (v.matches('^-?[0-9]{1,18}$') && int(v) >= int(c.substring(4))) : ` +
    `c == 'ratio' ? v.matches('^(0|1|0?[.][0-9]+|1[.]0+)$') : ` +
    `c.startsWith('enum:') ? v in c.substring(5).split('|') : ` +
    `v.split(',').all(w, w in c.substring(5).split('|'))))`;
  // The expected form in words per key (a third literal: deriving it in CEL costs too much).
  const expected = mapLiteral(Object.entries(table.known).map(([k, s]) => [k, describeKind(s.kind)]));
  // Messages name the first offending key only: a list of them (join) is beyond the API server's
  // cost budget for expressions, since map keys have no length limit the estimator could use.
  const first = (cond: string, message: string) => `[self.filter(k, ${cond})[0]].map(k, ${message})[0]`;
  return [
    {
      rule: `self.all(k, !(k in ${managed}))`,
      messageExpression: first(`k in ${managed}`, `'spec.config cannot set ' + k + ': the operator sets it from ' + ${managed}[k]`),
      reason: "FieldValueForbidden",
    },
    {
      rule: `self.all(k, k in ${managed} || k in ${known})`,
      messageExpression: first(`!(k in ${managed}) && !(k in ${known})`, `'unknown ${table.product} setting ' + k + ' (the supported settings are listed in docs/operators.md)'`),
      reason: "FieldValueInvalid",
    },
    {
      rule: `self.all(k, !(k in ${known}) || ${valid})`,
      messageExpression: first(`k in ${known} && !${valid}`, `'invalid value of ' + k + ': expected ' + ${expected}[k]`),
      reason: "FieldValueInvalid",
    },
  ];
}
