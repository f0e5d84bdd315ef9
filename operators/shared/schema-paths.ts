// For tests that keep a kind's TypeScript types and CRD schema in step: the dotted field paths of a
// fully populated sample object, and of a schema (arrays as `[]`, maps and empty objects as leaves).

export interface PathSchema {
  properties?: Record<string, PathSchema>;
  items?: PathSchema;
}

export function valuePaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.length ? valuePaths(value[0], `${prefix}[]`) : [prefix];
  if (value === null || typeof value !== "object" || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => valuePaths(v, prefix ? `${prefix}.${k}` : k));
}

export function schemaPaths(schema: PathSchema, prefix = ""): string[] {
  if (schema.items) return schemaPaths(schema.items, `${prefix}[]`);
  if (!schema.properties) return [prefix];
  return Object.entries(schema.properties).flatMap(([k, v]) => schemaPaths(v, prefix ? `${prefix}.${k}` : k));
}
