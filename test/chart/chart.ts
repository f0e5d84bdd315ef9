import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig, loadAllYaml, type KubernetesObject } from "@kubernetes/client-node";
import YAML from "yaml";
import { applyObjects } from "../../lib/k8s/apply";
import type { KubeClients } from "../../lib/k8s/client";
import { SYSTEM_NAMESPACE } from "../../lib/xlss/api/types";
import type { ClusterState } from "../../local-cluster/cluster";
import {
  OPERATORS_NAME,
  PROVISIONER_NAME,
  rescuerName,
  SCHEDULER_NAME,
  startOperators,
  startProvisioner,
  startRescuer,
  startScheduler,
  stopPlatformComponent,
} from "../../local-cluster/components";
import type { ComponentProcess } from "../../local-cluster/processes";

// Helpers of the chart's tests: Helm built from its Go module (charts/tools/helm/build.sh, cached),
// rendering, and kubeconfigs holding a ServiceAccount's token (TokenRequest), the credentials a
// component gets in its pod.

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CHART = path.join(REPO, "charts", "xlss");

/** The Helm binary: built once from charts/tools/helm (minutes), then taken from the cache. */
export function helmBinary(): string {
  const out = execFileSync("bash", [path.join(REPO, "charts/tools/helm/build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return out.trim().split("\n").pop()!;
}

/** `helm template` of the chart in xlss-system with `values`; returns the rendered objects. */
export function renderChart(values: object, opts: { includeCrds?: boolean; showOnly?: string } = {}): KubernetesObject[] {
  return loadAllYaml(renderChartText(values, opts)).filter(Boolean) as KubernetesObject[];
}

export function renderChartText(values: object, opts: { includeCrds?: boolean; showOnly?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-chart-"));
  try {
    const file = path.join(dir, "values.yaml");
    fs.writeFileSync(file, YAML.stringify(values));
    const args = ["template", "xlss", CHART, "--namespace", SYSTEM_NAMESPACE, "--values", file];
    if (opts.includeCrds) args.push("--include-crds");
    if (opts.showOnly) args.push("--show-only", opts.showOnly);
    return execFileSync(helmBinary(), args, { encoding: "utf8", maxBuffer: 64 << 20 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Values that turn every optional part of the chart on (what the dry-run checks). */
export const FULL_VALUES = {
  backup: {
    secret: { repository: "/mnt/xlss-backups/repo", s3: { region: "eu-west-1" } },
    volume: { hostPath: { path: "/mnt/xlss-backups", type: "DirectoryOrCreate" } },
  },
  console: {
    adminSecret: "console-admin",
    autoApprove: { namespaces: ["*-dev"], actions: ["create", "change"], maxReplicas: 3 },
    extraEnv: [{ name: "TZ", value: "Asia/Shanghai" }],
    ingress: { enabled: true, className: "nginx", hosts: [{ host: "xlss.example.com", path: "/" }], tls: [{ secretName: "xlss-tls", hosts: ["xlss.example.com"] }] },
  },
  scheduler: { pluginConfig: [{ name: "VolumeBinding", args: { bindTimeoutSeconds: 300 } }] },
  images: { registry: "registry.example.com", pullSecrets: [{ name: "registry" }] },
  metrics: {
    serviceMonitor: { enabled: true, labels: { release: "prometheus" } },
    prometheusRule: { enabled: true, labels: { release: "prometheus" } },
    grafanaDashboard: { enabled: true },
  },
};

/** Objects of the given kinds, e.g. the RBAC of the chart. */
export const ofKinds = (objects: KubernetesObject[], kinds: string[]) => objects.filter((o) => kinds.includes(o.kind ?? ""));

/**
 * A kubeconfig file for ServiceAccount `sa` of xlss-system: the cluster of `adminKubeconfig` with a
 * token from a TokenRequest, as the kubelet mounts into the component's pod.
 */
export async function serviceAccountKubeconfig(kube: KubeClients, adminKubeconfig: string, sa: string, file: string): Promise<string> {
  const req = await kube.core.createNamespacedServiceAccountToken({
    name: sa,
    namespace: SYSTEM_NAMESPACE,
    body: { spec: { audiences: [], expirationSeconds: 6 * 3600 } },
  });
  const token = req.status?.token;
  if (!token) throw new Error(`no token for ServiceAccount ${sa}`);
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: sa, token }],
    contexts: [{ name: sa, cluster: cluster.name, user: sa, namespace: SYSTEM_NAMESPACE }],
    currentContext: sa,
  });
  fs.writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
  return file;
}

/** Metric names a PromQL expression (or a dashboard's) refers to. */
export function metricNames(text: string): string[] {
  return [...new Set(text.match(/\bxlss_[a-z0-9_]+/g) ?? [])].sort();
}

/** `# TYPE` lines of a /metrics page: name → type. */
export function exportedMetrics(page: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of page.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** Whether `name` (possibly a histogram's _bucket/_count/_sum series) is among `exported`. */
export function isExported(name: string, exported: Map<string, string>): boolean {
  if (exported.has(name)) return true;
  const base = name.replace(/_(bucket|count|sum)$/, "");
  return base !== name && ["histogram", "summary"].includes(exported.get(base) ?? "");
}

/**
 * The platform's components on the local cluster, their ServiceAccount, and how to start one;
 * `extraArgs` (by account) are added to the launcher's flags.
 */
export function platformComponents(
  state: ClusterState,
  extraArgs: Record<string, string[]> = {},
): { name: string; account: string; start: (s: ClusterState) => Promise<ComponentProcess> }[] {
  const extra = (account: string) => extraArgs[account] ?? [];
  return [
    ...state.nodes.map((node) => ({ name: rescuerName(node), account: "xlss-rescuer", start: (s: ClusterState) => startRescuer(s, node, extra("xlss-rescuer")) })),
    { name: PROVISIONER_NAME, account: "xlss-provisioner", start: (s: ClusterState) => startProvisioner(s, extra("xlss-provisioner")) },
    { name: SCHEDULER_NAME, account: "xlss-scheduler", start: (s: ClusterState) => startScheduler(s, extra("xlss-scheduler")) },
    { name: OPERATORS_NAME, account: "xlss-operators", start: (s: ClusterState) => startOperators(s, extra("xlss-operators")) },
  ];
}

/**
 * The command-line flags the chart gives each component (its Deployment's or DaemonSet's container
 * args), by ServiceAccount, for starting the local cluster's processes the way the chart would. Left
 * out: what only makes sense in a pod (metrics address and port, the host's storage root) and the
 * scheduler's --config, which is written to `configDir` from the chart's ConfigMap instead.
 */
export function chartFlags(objects: KubernetesObject[], configDir: string): Record<string, string[]> {
  type Workload = KubernetesObject & { spec: { template: { spec: { serviceAccountName: string; containers: { args?: string[] }[] } } } };
  const out: Record<string, string[]> = {};
  for (const w of objects.filter((o) => o.kind === "Deployment" || o.kind === "DaemonSet") as Workload[]) {
    const pod = w.spec.template.spec;
    out[pod.serviceAccountName] = (pod.containers[0]?.args ?? []).filter((a) => !/^--(metrics-port|metrics-host|root|config)=/.test(a));
  }
  const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "xlss-scheduler-config") as (KubernetesObject & { data: Record<string, string> }) | undefined;
  if (config) {
    const file = path.join(configDir, "chart-scheduler-config.yaml");
    fs.writeFileSync(file, config.data["config.yaml"]!);
    out["xlss-scheduler"] = [`--config=${file}`, ...(out["xlss-scheduler"] ?? [])];
  }
  return out;
}

/** The chart's ServiceAccounts, Roles, ClusterRoles and their bindings, as rendered with `values`. */
export function chartRbac(values: object = { backup: { secret: { create: false } } }): KubernetesObject[] {
  return ofKinds(renderChart(values), ["ServiceAccount", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"]);
}

/** Stops a platform component and starts it again from the current code. */
export async function restartComponent(state: ClusterState, c: { name: string; start: (s: ClusterState) => Promise<ComponentProcess> }): Promise<ComponentProcess> {
  await stopPlatformComponent(state, c.name);
  return c.start(state);
}

/** Where the kubeconfigs of the chart's ServiceAccounts go; components find theirs there (components.ts). */
export const serviceAccountDir = (state: ClusterState) => path.join(state.dir, "service-accounts");

/**
 * Applies the chart's RBAC to the local cluster and restarts every platform component (agents,
 * provisioner, scheduler, operators) with a token of its own ServiceAccount, as in a real install;
 * they keep it across restarts until `runPlatformAsAdmin`. Returns each account's kubeconfig file
 * (the console's too).
 */
export async function runPlatformAsServiceAccounts(
  state: ClusterState,
  kube: KubeClients,
  extraArgs: Record<string, string[]> = {},
): Promise<Record<string, string>> {
  await applyObjects(kube, chartRbac(), "xlss-chart-test");
  const dir = serviceAccountDir(state);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: Record<string, string> = {};
  for (const sa of SERVICE_ACCOUNTS) files[sa] = await serviceAccountKubeconfig(kube, state.kubeconfig, sa, path.join(dir, `${sa}.kubeconfig`));
  await restartAll(state, extraArgs);
  return files;
}

/** Restarts every platform component with the cluster's admin credentials again. */
export async function runPlatformAsAdmin(state: ClusterState): Promise<void> {
  fs.rmSync(serviceAccountDir(state), { recursive: true, force: true });
  await restartAll(state);
}

async function restartAll(state: ClusterState, extraArgs: Record<string, string[]> = {}): Promise<void> {
  // A few at a time: each is a Node.js process starting on a small machine.
  const components = platformComponents(state, extraArgs);
  for (let i = 0; i < components.length; i += 3) {
    const batch = components.slice(i, i + 3);
    for (const c of batch) await stopPlatformComponent(state, c.name);
    // Each start records its process in the state (synchronously), so starts may overlap.
    await Promise.all(batch.map((c) => c.start(state)));
  }
}

export const SERVICE_ACCOUNTS = ["xlss-provisioner", "xlss-scheduler", "xlss-rescuer", "xlss-operators", "xlss-console"] as const;
