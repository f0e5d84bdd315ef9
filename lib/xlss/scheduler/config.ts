import fs from "node:fs";
import YAML from "yaml";
import { z } from "zod";
import { describeIssues } from "./framework/args";

export const CONFIG_API_VERSION = "scheduler.xlss.io/v1alpha1";
export const CONFIG_KIND = "XlssSchedulerConfiguration";
export const DEFAULT_SCHEDULER_NAME = "xlss-scheduler";

/** The extension points a profile configures, as kube-scheduler's `plugins` keys (NormalizeScore goes with Score, Unreserve with Reserve). */
export const EXTENSION_POINTS = ["queueSort", "preFilter", "filter", "postFilter", "preScore", "score", "reserve", "permit", "preBind", "bind"] as const;
export type ExtensionPoint = (typeof EXTENSION_POINTS)[number];

const pluginRef = z.strictObject({
  name: z.string().min(1),
  /** Score and multiPoint only: multiplies the plugin's 0–100 score. */
  weight: z.number().int().min(1).max(100).optional(),
});
export type PluginRef = z.infer<typeof pluginRef>;

const pluginSet = z.strictObject({
  enabled: z.array(pluginRef).default([]),
  /** Names taken out of the defaults; "*" takes them all out. */
  disabled: z.array(z.strictObject({ name: z.string().min(1) })).default([]),
});
export type PluginSet = z.infer<typeof pluginSet>;

const plugins = z.strictObject({
  /** Each plugin here is enabled at every point it implements. */
  multiPoint: pluginSet.optional(),
  queueSort: pluginSet.optional(),
  preFilter: pluginSet.optional(),
  filter: pluginSet.optional(),
  postFilter: pluginSet.optional(),
  preScore: pluginSet.optional(),
  score: pluginSet.optional(),
  reserve: pluginSet.optional(),
  permit: pluginSet.optional(),
  preBind: pluginSet.optional(),
  bind: pluginSet.optional(),
}) satisfies z.ZodType<Partial<Record<ExtensionPoint | "multiPoint", PluginSet>>>;

const profile = z.strictObject({
  schedulerName: z.string().min(1).optional(),
  plugins: plugins.default({}),
  pluginConfig: z.array(z.strictObject({ name: z.string().min(1), args: z.unknown() })).default([]),
});
export type ProfileConfig = z.infer<typeof profile>;

const configuration = z.strictObject({
  apiVersion: z.literal(CONFIG_API_VERSION),
  kind: z.literal(CONFIG_KIND),
  profiles: z
    .array(profile)
    .min(1)
    .max(1, "one profile per process: run another xlss-scheduler for another schedulerName")
    .default([{ plugins: {}, pluginConfig: [] }]),
});
export type SchedulerConfiguration = z.infer<typeof configuration>;

/** A configuration that cannot be used; the message names the bad field (`profiles[0].plugins.score.enabled[1].weight: …`). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The configuration used without `--config`: one profile with the default plugins. */
export const DEFAULT_CONFIGURATION: SchedulerConfiguration = {
  apiVersion: CONFIG_API_VERSION,
  kind: CONFIG_KIND,
  profiles: [{ plugins: {}, pluginConfig: [] }],
};

/**
 * Parses and validates the shape of a configuration file (YAML or JSON). Whether the plugins it
 * names exist and implement the points they are enabled at is checked when the profile is built.
 */
export function parseConfig(text: string): SchedulerConfiguration {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new ConfigError(`not valid YAML: ${errorMessage(err)}`);
  }
  const result = configuration.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(describeIssues(result.error));
  return result.data;
}

export function loadConfig(file: string): SchedulerConfiguration {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot be read: ${errorMessage(err)}`);
  }
  return parseConfig(text);
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
