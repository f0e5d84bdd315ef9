import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIGURATION, loadConfig, parseConfig } from "./config";
import { DEFAULT_PLUGINS } from "./default-profile";
import type { ProfilePlugins } from "./framework/framework";
import type { SchedulerHandle } from "./handle";
import { inTreeRegistry } from "./plugins/registry";
import { buildProfile, mergePluginSet } from "./profile";

const here = path.dirname(new URL(import.meta.url).pathname);
// Factories only keep the handle for later calls, so building a profile needs no cluster.
const handle = {} as SchedulerHandle;
const build = (yaml: string) => buildProfile(parseConfig(yaml).profiles[0]!, inTreeRegistry(), handle, DEFAULT_PLUGINS);
const header = "apiVersion: scheduler.xlss.io/v1alpha1\nkind: XlssSchedulerConfiguration\n";
const names = (plugins: ProfilePlugins) => ({
  queueSort: plugins.queueSort.name,
  preFilter: plugins.preFilter.map((p) => p.name),
  filter: plugins.filter.map((p) => p.name),
  postFilter: plugins.postFilter.map((p) => p.name),
  preScore: plugins.preScore.map((p) => p.name),
  score: plugins.score.map(({ plugin, weight }) => `${plugin.name}×${weight}`),
  reserve: plugins.reserve.map((p) => p.name),
  permit: plugins.permit.map((p) => p.name),
  preBind: plugins.preBind.map((p) => p.name),
  bind: plugins.bind.map((p) => p.name),
});

describe("scheduler configuration", () => {
  it("without a file, is the default profile: today's plugins, order and weights", () => {
    const profile = buildProfile(DEFAULT_CONFIGURATION.profiles[0]!, inTreeRegistry(), handle, DEFAULT_PLUGINS);
    expect(profile.schedulerName).toBe("xlss-scheduler");
    expect(names(profile.plugins)).toEqual({
      queueSort: "PrioritySort",
      preFilter: ["InterPodAffinity", "PodTopologySpread", "XlssRescue", "VolumeBinding"],
      filter: ["NodeName", "NodeUnschedulable", "TaintToleration", "NodeAffinity", "NodeResourcesFit", "InterPodAffinity", "PodTopologySpread", "XlssRescue", "VolumeBinding"],
      postFilter: [],
      preScore: [],
      score: ["TaintToleration×1", "NodeAffinity×2", "NodeResourcesFit×1", "InterPodAffinity×2", "PodTopologySpread×2"],
      reserve: [],
      permit: [],
      preBind: ["XlssRescue", "VolumeBinding"],
      bind: ["DefaultBinder"],
    });
    // A file with only apiVersion and kind is the same profile.
    expect(names(build(header).plugins)).toEqual(names(profile.plugins));
  });

  it("reads the example file: a weight changed, a score plugin out, VolumeBinding's args", () => {
    const config = loadConfig(path.join(here, "config.example.yaml"));
    expect(config.profiles[0]?.pluginConfig).toEqual([{ name: "VolumeBinding", args: { bindTimeoutSeconds: 300 } }]);
    const { plugins } = buildProfile(config.profiles[0]!, inTreeRegistry(), handle, DEFAULT_PLUGINS);
    expect(names(plugins).score).toEqual(["NodeAffinity×2", "NodeResourcesFit×1", "InterPodAffinity×2", "PodTopologySpread×3"]);
    expect(names(plugins).filter).toContain("TaintToleration");
  });

  it("merges a point's set on top of the defaults as kube-scheduler does", () => {
    const base = [{ name: "A" }, { name: "B", weight: 2 }, { name: "C" }];
    // In place with the new weight; re-enabled after disabling: moved to the end; new names appended.
    expect(mergePluginSet(base, { enabled: [{ name: "B", weight: 5 }, { name: "A" }, { name: "D" }], disabled: [{ name: "A" }] })).toEqual([
      { name: "B", weight: 5 },
      { name: "C" },
      { name: "A" },
      { name: "D" },
    ]);
    expect(mergePluginSet(base, { enabled: [{ name: "C" }], disabled: [{ name: "*" }] })).toEqual([{ name: "C" }]);
    expect(mergePluginSet(base, undefined)).toEqual(base);
  });

  it("enables multiPoint plugins at every point they implement, under the points' own sets", () => {
    const { plugins } = build(`${header}
profiles:
  - plugins:
      multiPoint:
        disabled: [{ name: "*" }]
        enabled: [{ name: PrioritySort }, { name: NodeResourcesFit, weight: 4 }, { name: DefaultBinder }]
      filter:
        enabled: [{ name: NodeName }]
`);
    expect(names(plugins)).toMatchObject({ filter: ["NodeResourcesFit", "NodeName"], score: ["NodeResourcesFit×4"], preFilter: [], preBind: [] });
  });

  it.each([
    ["not YAML", "profiles: [", /^not valid YAML: /],
    ["empty", "", /^apiVersion: Invalid input: expected "scheduler\.xlss\.io\/v1alpha1"; kind: Invalid input/],
    ["another kind", "apiVersion: scheduler.xlss.io/v1alpha1\nkind: KubeSchedulerConfiguration\n", /^kind: Invalid input: expected "XlssSchedulerConfiguration"$/],
    ["a misspelt key", `${header}profiles:\n  - plugins:\n      filters: {}\n`, /^profiles\[0\]\.plugins\.filters: unknown field$/],
    ["a zero weight", `${header}profiles:\n  - plugins:\n      score:\n        enabled: [{ name: NodeAffinity, weight: 0 }]\n`, /^profiles\[0\]\.plugins\.score\.enabled\[0\]\.weight: Too small/],
    ["a name that is no string", `${header}profiles:\n  - plugins:\n      filter:\n        enabled: [{ name: 3 }]\n`, /^profiles\[0\]\.plugins\.filter\.enabled\[0\]\.name: Invalid input: expected string/],
    ["two profiles", `${header}profiles: [{ schedulerName: a }, { schedulerName: b }]\n`, /^profiles: one profile per process/],
  ])("refuses a file that is %s, naming the field", (_what, yaml, message) => {
    expect(() => parseConfig(yaml)).toThrow(ConfigError);
    expect(() => parseConfig(yaml)).toThrow(message);
  });

  it.each([
    ["an unknown plugin", "plugins:\n      filter:\n        enabled: [{ name: NodeNmae }]", /^profiles\[0\]\.plugins\.filter\.enabled\[0\]\.name: unknown plugin NodeNmae \(known: PrioritySort, NodeName, /],
    ["a plugin at a point it does not implement", "plugins:\n      score:\n        enabled: [{ name: NodeName }]", "profiles[0].plugins.score.enabled[0].name: plugin NodeName does not implement score"],
    ["a plugin twice", "plugins:\n      filter:\n        enabled: [{ name: NodeName }, { name: NodeName }]", "profiles[0].plugins.filter.enabled[1].name: plugin NodeName is enabled twice"],
    ["a weight outside score", "plugins:\n      filter:\n        enabled: [{ name: NodeName, weight: 2 }]", "profiles[0].plugins.filter.enabled[0].weight: weights apply to score (and multiPoint) only"],
    ["no QueueSort plugin", "plugins:\n      queueSort:\n        disabled: [{ name: PrioritySort }]", "profiles[0].plugins.queueSort: exactly one QueueSort plugin must be enabled, got none"],
    ["no Bind plugin", "plugins:\n      bind:\n        disabled: [{ name: '*' }]", "profiles[0].plugins.bind: at least one Bind plugin must be enabled"],
    ["bad plugin args", "pluginConfig:\n      - name: VolumeBinding\n        args: { bindTimeoutSeconds: ten }", "profiles[0].pluginConfig[0].args: plugin VolumeBinding: bindTimeoutSeconds: Invalid input: expected number, received string"],
    ["bad rescue args", "pluginConfig:\n      - name: XlssRescue\n        args: { nodeGoneWindowSeconds: 0 }", "profiles[0].pluginConfig[0].args: plugin XlssRescue: nodeGoneWindowSeconds: Too small: expected number to be >=1"],
    ["an unknown arg", "pluginConfig:\n      - name: VolumeBinding\n        args: { bindTimeout: 10 }", "profiles[0].pluginConfig[0].args: plugin VolumeBinding: bindTimeout: unknown field"],
    ["args for a plugin that takes none", "pluginConfig:\n      - name: NodeName\n        args: { x: 1 }", "profiles[0].pluginConfig[0].args: plugin NodeName: this plugin takes no args"],
    ["args for a plugin not enabled", "plugins:\n      multiPoint:\n        disabled: [{ name: VolumeBinding }]\n    pluginConfig:\n      - name: VolumeBinding\n        args: {}", "profiles[0].pluginConfig[0].name: plugin VolumeBinding is not enabled in this profile, so its args would be ignored"],
  ])("refuses a profile with %s, naming the field", (_what, profile, message) => {
    const yaml = `${header}profiles:\n  - ${profile}\n`;
    expect(() => build(yaml)).toThrow(ConfigError);
    expect(() => build(yaml)).toThrow(message);
  });

  it("ends the process with status 1 and the bad field when main.ts gets a bad file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-scheduler-config-"));
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(bad, `${header}profiles:\n  - plugins:\n      score:\n        enabled: [{ name: NodeName }]\n`);
    // A kubeconfig that is never dialled: the profile is checked before anything connects.
    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(
      kubeconfig,
      "apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]\nusers: [{ name: u, user: {} }]\ncontexts: [{ name: x, context: { cluster: c, user: u } }]\ncurrent-context: x\n",
    );
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", path.join(here, "main.ts"), `--config=${bad}`, "--metrics-port=0"], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      timeout: 60_000,
    });
    const failure = await run.then(() => undefined, (err: { code?: number; stdout?: string }) => err);
    fs.rmSync(dir, { recursive: true });
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain("profiles[0].plugins.score.enabled[0].name: plugin NodeName does not implement score");
  }, 60_000);
});
