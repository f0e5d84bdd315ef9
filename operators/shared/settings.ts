// Settings tables: the middleware settings a kind's `spec.config` accepts, each with the form its
// value must take. The CRD's CEL rules are generated from a kind's table (config-rules.ts), so the
// API server refuses unknown settings and malformed values: a typo is otherwise found only when a
// member fails to start.

/** How a value is checked. */
export type SettingKind =
  /** true or false. */
  | { type: "boolean" }
  /** yes or no (Redis's booleans). */
  | { type: "yesno" }
  /** A whole number of at least `min`. */
  | { type: "integer"; min: number }
  /** A number in [0, 1]. */
  | { type: "ratio" }
  | { type: "enum"; values: readonly string[] }
  /** A comma-separated list of these words. */
  | { type: "list"; values: readonly string[] }
  /** Text matching an RE2 `pattern`, described in words. */
  | { type: "pattern"; pattern: string; description: string };

export interface Setting<Scope extends string = string> {
  kind: SettingKind;
  /** Which members read it (a kind's own roles, or "all"). */
  scope: Scope;
  /** One line for the console's config editor and the docs. */
  help: string;
}

/** A kind's settings: what `spec.config` accepts, and what the operator sets itself (with where it comes from). */
export interface SettingsTable {
  /** The middleware's name in messages ("unknown Kafka setting …"). */
  product: string;
  known: Readonly<Record<string, Setting>>;
  managed: Readonly<Record<string, string>>;
}

/** The setting's check as the short code the CRD's CEL rule switches on ("int:1", "list:delete|compact"). */
export function celCode(kind: SettingKind): string {
  switch (kind.type) {
    case "boolean":
      return "bool";
    case "yesno":
      return "yesno";
    case "integer":
      return `int:${kind.min}`;
    case "ratio":
      return "ratio";
    case "enum":
      return `enum:${kind.values.join("|")}`;
    case "list":
      return `list:${kind.values.join("|")}`;
    case "pattern":
      return `re:${kind.pattern}`;
  }
}

/** The form a value must take, in words (for error messages and the docs). */
export function describeKind(kind: SettingKind): string {
  switch (kind.type) {
    case "boolean":
      return "true or false";
    case "yesno":
      return "yes or no";
    case "integer":
      return `a whole number of at least ${kind.min}`;
    case "ratio":
      return "a number from 0 to 1";
    case "enum":
      return `one of ${kind.values.join(", ")}`;
    case "list":
      return `a comma-separated list of ${kind.values.join(", ")}`;
    case "pattern":
      return kind.description;
  }
}
