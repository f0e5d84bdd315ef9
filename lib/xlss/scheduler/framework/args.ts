import type { z } from "zod";

/** `profiles[0].plugins.score.enabled[1].weight`, from a path as zod and the config checks keep it. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("");
}

/** One line per problem, each naming its field: `bindTimeoutSeconds: Too small: expected number to be >0`. */
export function describeIssues(error: z.ZodError, at: readonly PropertyKey[] = []): string {
  return error.issues
    .flatMap((issue) => {
      const path = [...at, ...issue.path];
      if (issue.code === "unrecognized_keys") return issue.keys.map((k) => `${fieldPath([...path, k])}: unknown field`);
      return [`${fieldPath(path) || "(top level)"}: ${issue.message}`];
    })
    .join("; ");
}

/**
 * Validates a plugin's args against the plugin's own schema (kube-scheduler's typed, validated
 * plugin args); throws naming the bad field. Absent args are validated as `{}`, so defaults apply.
 */
export function decodeArgs<T extends z.ZodType>(schema: T, args: unknown): z.output<T> {
  const result = schema.safeParse(args ?? {});
  if (!result.success) throw new Error(describeIssues(result.error));
  return result.data;
}
