/** What a request may leave out: every field, at any depth (the API server fills in the defaults). */
export type DeepPartial<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends (infer U)[] ? U[] : NonNullable<T[K]> extends object ? DeepPartial<NonNullable<T[K]>> : T[K];
};

/** The part of an OpenAPI schema that defaulting reads. */
export interface DefaultingSchema {
  type?: string;
  default?: unknown;
  properties?: Record<string, DefaultingSchema>;
  items?: DefaultingSchema;
}

/**
 * `value` with the schema's defaults filled in, as the API server does for custom resources: a
 * missing property gets its default, then defaulting goes on inside every object (defaulted or
 * given) and every array item. Used by tests to build resources exactly as stored.
 */
export function withSchemaDefaults(schema: DefaultingSchema, value: unknown): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((v) => withSchemaDefaults(schema.items!, v)) : value;
  if (!value || typeof value !== "object" || !schema.properties) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (out[key] === undefined && prop.default !== undefined) out[key] = structuredClone(prop.default);
    if (out[key] !== undefined) out[key] = withSchemaDefaults(prop, out[key]);
  }
  return out;
}
