import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAllYaml, PatchStrategy, type KubernetesObject, type V1CustomResourceDefinition } from "@kubernetes/client-node";
import { afterAll, describe, expect } from "vitest";
import YAML from "yaml";
import { applyObjects } from "../../lib/k8s/apply";
import { kubeClients, loadKubeConfig, mergePatch, type KubeClients } from "../../lib/k8s/client";
import { apiStatus } from "../../lib/k8s/errors";
import { waitFor } from "../../lib/k8s/wait";
import { autoApprovePolicy } from "../../lib/console/auto-approve";
import { createBackup, createRestore, getRestore, getVolume, listBackups } from "../../lib/xlss/api/client";
import { BACKUP_SECRET, STORAGE_API_VERSION, SYSTEM_NAMESPACE, type XlssBackup, type XlssRestore } from "../../lib/xlss/api/types";
import { SELECTED_NODE } from "../../lib/xlss/provisioner/claim-controller";
import { readState } from "../../local-cluster/cluster";
import { installPlatform } from "../../local-cluster/install";
import { binPath } from "../../local-cluster/versions";
import { createKafka, TINY, waitRunning } from "../../operators/kafka/kafka-test-helpers";
import { createPostgres, patchPostgres, postgresRunning, SMALL_POSTGRES, waitForPostgres } from "../../operators/postgres/postgres-test-helpers";
import { kubeTest } from "../kube";
import { boundVolume, statefulSetWithStorage, waitForRunningPods, waitGone } from "../workloads";
import {
  CHART,
  chartFlags,
  exportedMetrics,
  FULL_VALUES,
  helmBinary,
  isExported,
  metricNames,
  renderChart,
  renderChartText,
  runPlatformAsAdmin,
  runPlatformAsServiceAccounts,
  SERVICE_ACCOUNTS,
} from "./chart";

// The Helm chart on the real local cluster: every rendered manifest is accepted by the API server
// (server-side dry-run apply, strict field validation), the alert rules pass promtool and name only
// metrics the components export, and the platform works under the chart's least-privilege RBAC —
// each component runs with a token of its own ServiceAccount — while what it must not do is denied.

const HERE = path.dirname(fileURLToPath(import.meta.url));

const rulesOf = (values: object) => {
  const [rule] = renderChart(values, { showOnly: "templates/prometheusrule.yaml" }) as (KubernetesObject & { spec: { groups: object[] } })[];
  return { groups: rule!.spec.groups };
};
const RULE_VALUES = { backup: { secret: { create: false } }, metrics: { prometheusRule: { enabled: true } } };

describe("the Helm chart", () => {
  kubeTest("renders, and every rendered manifest passes a server-side dry-run apply", async ({ kube, cluster }) => {
    // The optional monitoring objects need the Prometheus Operator's kinds (test fixture).
    const crds = loadAllYaml(fs.readFileSync(path.join(HERE, "monitoring-crds.yaml"), "utf8")) as V1CustomResourceDefinition[];
    await applyObjects(kube, crds, "xlss-chart-test");
    await waitFor(
      async () => {
        for (const crd of crds) {
          const stored = (await kube.objects.read({ apiVersion: crd.apiVersion, kind: crd.kind, metadata: { name: crd.metadata!.name! } })) as V1CustomResourceDefinition;
          if (!stored.status?.conditions?.some((c) => c.type === "Established" && c.status === "True")) return false;
        }
        return true;
      },
      { what: "monitoring CRDs established" },
    );

    for (const [what, values] of [
      ["every option on", FULL_VALUES],
      ["the defaults, with an external database", { backup: { secret: { repository: "s3:https://s3.example.com/xlss" } }, database: { external: { enabled: true, existingSecret: "pg" } } }],
    ] as const) {
      const text = renderChartText(values, { includeCrds: true });
      const objects = loadAllYaml(text).filter(Boolean) as KubernetesObject[];
      const file = path.join(cluster.dir, "chart-rendered.yaml");
      fs.writeFileSync(file, text);
      // kubectl validates strictly (unknown or duplicate fields are errors) and reports every object.
      const res = spawnSync(
        binPath("kubectl"),
        ["--kubeconfig", cluster.kubeconfig, "apply", "--server-side", "--dry-run=server", "--force-conflicts", "--field-manager=helm", "-f", file],
        { encoding: "utf8" },
      );
      expect(res.status, `${what}: ${res.stderr}`).toBe(0);
      expect(res.stderr, what).not.toMatch(/error/i);
      const applied = res.stdout.trim().split("\n").filter((l) => l.endsWith("serverside-applied (server dry run)"));
      expect(applied.length, `${what}: ${res.stdout}`).toBe(objects.length);
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of ["CustomResourceDefinition", "ClusterRole", "Role", "Deployment", "DaemonSet", "Service", "ConfigMap", "Secret", "StorageClass", "CSIDriver"]) {
        expect(kinds.has(kind), `${what}: ${kind}`).toBe(true);
      }
    }
    // helm lint: the chart's own checks (Chart.yaml, templates, values) with every option on.
    const valuesFile = path.join(cluster.dir, "chart-values.yaml");
    fs.writeFileSync(valuesFile, YAML.stringify(FULL_VALUES));
    const lint = spawnSync(helmBinary(), ["lint", CHART, "--strict", "--namespace", SYSTEM_NAMESPACE, "--values", valuesFile], { encoding: "utf8" });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    // The console accepts the auto-approve policy the chart hands it.
    type Deployment = KubernetesObject & { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } };
    const consoleDeployment = renderChart(FULL_VALUES).find((o) => o.kind === "Deployment" && o.metadata?.name === "xlss-console") as Deployment;
    const policy = consoleDeployment.spec.template.spec.containers[0]!.env!.find((e) => e.name === "CONSOLE_AUTO_APPROVE")!.value!;
    expect(autoApprovePolicy.parse(JSON.parse(policy)).maxReplicas).toBe(3);
    const full = new Set(renderChart(FULL_VALUES).map((o) => o.kind));
    for (const kind of ["Ingress", "ServiceMonitor", "PrometheusRule", "PersistentVolumeClaim"]) expect(full.has(kind), kind).toBe(true);
  });

  kubeTest("refuses unusable values with a message", async () => {
    const refused = (args: string[], values: object) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-values-"));
      fs.writeFileSync(path.join(dir, "v.yaml"), YAML.stringify(values));
      const res = spawnSync(helmBinary(), ["template", "xlss", CHART, "-f", path.join(dir, "v.yaml"), ...args], { encoding: "utf8" });
      fs.rmSync(dir, { recursive: true });
      expect(res.status).not.toBe(0);
      return res.stderr;
    };
    expect(refused(["-n", "default"], FULL_VALUES)).toContain("install XLSS into the namespace xlss-system");
    expect(refused(["-n", SYSTEM_NAMESPACE], {})).toContain("backup.secret.repository is required");
    expect(refused(["-n", SYSTEM_NAMESPACE], { ...FULL_VALUES, console: { replicas: 2 } })).toContain("PGlite database allows one console replica");
  });

  kubeTest("alert rules pass promtool and fire on the situations they are for", async ({ cluster }) => {
    const dir = fs.mkdtempSync(path.join(cluster.dir, "rules-"));
    fs.writeFileSync(path.join(dir, "rules.yaml"), YAML.stringify(rulesOf(RULE_VALUES)));
    const check = spawnSync("promtool", ["check", "rules", path.join(dir, "rules.yaml")], { encoding: "utf8" });
    expect(check.stdout + check.stderr).toContain("SUCCESS");
    expect(check.status).toBe(0);
    // Unit tests of the expressions with made-up series (promtool test rules): each alert's labels.
    // promtool compares annotations too; the tests give none, so they run on the rules without them
    // (their templates were checked above).
    const bare = rulesOf(RULE_VALUES) as { groups: { rules: { annotations?: object }[] }[] };
    for (const g of bare.groups) for (const r of g.rules) delete r.annotations;
    fs.writeFileSync(path.join(dir, "rules-bare.yaml"), YAML.stringify(bare));
    fs.writeFileSync(path.join(dir, "tests.yaml"), YAML.stringify(ALERT_TESTS));
    const test = spawnSync("promtool", ["test", "rules", path.join(dir, "tests.yaml")], { encoding: "utf8", cwd: dir });
    expect(test.stdout + test.stderr).toContain("SUCCESS");
    expect(test.status).toBe(0);
  });

  describe("under the chart's ServiceAccounts", () => {
    let restore: (() => Promise<void>) | undefined;
    afterAll(async () => {
      await restore?.();
    });

    kubeTest(
      "the platform provisions, schedules, backs up, restores and releases; the operators run a Kafka and a PostgreSQL cluster and grow its volume",
      { timeout: 600_000 },
      async ({ kube, cluster, namespace }) => {
        // Each component also runs with the flags the chart gives it (and the scheduler with the
        // chart's configuration file), so a flag or setting the code does not accept fails here. The
        // node-gone window is the local cluster's, as in its own configuration.
        // The CRDs as the chart has them now (a long-running cluster may have older ones), as an install would.
        await installPlatform(kube);
        const chart = renderChart({ backup: { secret: { create: false } }, recovery: { nodeGoneWindowSeconds: 20 } });
        const files = await runPlatformAsServiceAccounts(cluster, kube, chartFlags(chart, cluster.dir));
        restore = async () => runPlatformAsAdmin(readState(cluster.dir)!);
        const logsFrom = logOffsets(cluster.dir);
        // Every component uses its own account: the provisioner's credentials are not the admin's.
        const asProvisioner = kubeClients(loadKubeConfig(files["xlss-provisioner"]));
        expect(await statusOf(() => asProvisioner.core.listNamespacedSecret({ namespace: SYSTEM_NAMESPACE }))).toBe(403);

        // A pod with a local volume, placed by the xlss-scheduler: the provisioner and the agent make the volume.
        const sts = statefulSetWithStorage({ name: "app", replicas: 1, schedulerName: "xlss-scheduler" });
        sts.spec!.template.metadata!.annotations = { "backup.xlss.io/pre-hook": '["/bin/sh", "-c", "echo flushed > flushed"]' };
        await kube.apps.createNamespacedStatefulSet({ namespace, body: sts });
        const [pod] = await waitForRunningPods(kube, namespace, "app=app", 1, 120_000);
        expect(pod!.spec?.nodeName).toBeTruthy();
        const pv = await boundVolume(kube, namespace, "data-app-0");
        const dir = pv.spec!.local!.path!;
        fs.writeFileSync(path.join(dir, "orders.log"), "order 1\norder 2\n");

        // Back up now: the agent reads the backup Secret, runs the pre hook in the pod (pods/exec) and restic.
        await createBackup(kube, { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name: "now", namespace }, spec: { claimName: "data-app-0", trigger: "Manual" } });
        const backup = await waitFor(
          async () => {
            const b = (await listBackups(kube, {}, namespace)).items.find((x: XlssBackup) => x.metadata.name === "now");
            return b?.status?.phase === "Completed" || b?.status?.phase === "Failed" ? b : undefined;
          },
          { what: "backup completed", timeoutMs: 120_000 },
        );
        expect(backup.status?.message ?? "", backup.status?.message).not.toContain("forbidden");
        expect(backup.status?.phase).toBe("Completed");
        expect(backup.status?.snapshotId).toBeTruthy();
        expect(fs.readFileSync(path.join(dir, "flushed"), "utf8").trim()).toBe("flushed");

        // Restore that snapshot into a second volume on another node.
        // The cluster's own nodes: other tests add short-lived nodes of their own, with no agent.
        const other = cluster.nodes.find((n) => n !== pod!.spec!.nodeName)!;
        await kube.core.createNamespacedPersistentVolumeClaim({
          namespace,
          body: {
            metadata: { name: "copy", annotations: { [SELECTED_NODE]: other } },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: "xlss-local", resources: { requests: { storage: "1Gi" } } },
          },
        });
        const copy = await boundVolume(kube, namespace, "copy");
        await createRestore(kube, {
          apiVersion: STORAGE_API_VERSION,
          kind: "XlssRestore",
          metadata: { name: "copy", namespace },
          spec: { claimName: "data-app-0", snapshot: "latest", targetVolume: copy.metadata!.name! },
        });
        const restored = await waitFor(
          async () => {
            const r = await getRestore(kube, namespace, "copy");
            return r?.status?.phase === "Completed" || r?.status?.phase === "Failed" ? r : undefined;
          },
          { what: "restore finished", timeoutMs: 120_000 },
        );
        expect((restored as XlssRestore).status?.phase, restored.status?.message).toBe("Completed");
        expect(fs.readFileSync(path.join(copy.spec!.local!.path!, "orders.log"), "utf8")).toBe("order 1\norder 2\n");

        // Release: the provisioner deletes the PV and the volume, the agent removes the directory.
        await kube.core.deleteNamespacedPersistentVolumeClaim({ name: "copy", namespace });
        await waitGone(() => kube.core.readPersistentVolume({ name: copy.metadata!.name! }), "released PV");
        await waitFor(async () => !(await getVolume(kube, copy.metadata!.name!)), { what: "released XlssVolume removed", timeoutMs: 60_000 });
        expect(fs.existsSync(copy.spec!.local!.path!)).toBe(false);

        // The operators (own account) turn a KafkaCluster into its objects, and its pod runs.
        await createKafka(kube, namespace, "events", TINY);
        await waitRunning(kube, namespace, "events", 180_000);
        // A PostgresCluster too: its credentials Secret is created with nothing but `create` on Secrets.
        await createPostgres(kube, namespace, "accounts", { ...SMALL_POSTGRES, replicas: 1 });
        const pg = await waitForPostgres(kube, namespace, "accounts", postgresRunning, "Running", 180_000);
        expect((await kube.core.readNamespacedSecret({ name: pg.status!.credentialsSecret!, namespace })).data?.["superuser-password"]).toBeTruthy();
        // Its volume grows: the operators raise the claim and re-create the StatefulSet (claims patch,
        // StatefulSet delete, Events list), the provisioner grows the volume.
        await patchPostgres(kube, namespace, "accounts", { storage: { size: "2Gi" } });
        await waitForPostgres(kube, namespace, "accounts", postgresRunning, "Running at 2Gi", 180_000);
        await waitFor(async () => (await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-accounts-primary-0", namespace })).status?.capacity?.storage === "2Gi", {
          what: "data-accounts-primary-0 grown to 2Gi",
          timeoutMs: 120_000,
        });
        // Running can be reported before the StatefulSet is created again: wait for it, so that its
        // creation is among what the logs below are searched for refusals.
        await waitFor(
          async () => (await kube.apps.readNamespacedStatefulSet({ name: "accounts-primary", namespace })).spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage === "2Gi",
          { what: "StatefulSet accounts-primary created again at 2Gi", timeoutMs: 120_000 },
        );

        // No component was refused anything along the way.
        const refused = forbiddenLines(cluster.dir, logsFrom);
        expect(refused, refused.join("\n")).toEqual([]);
      },
    );

    kubeTest("each account is denied what its component never does; the console may do what it does", async ({ kube, cluster }) => {
      const as = Object.fromEntries(
        SERVICE_ACCOUNTS.map((sa) => [sa, kubeClients(loadKubeConfig(path.join(cluster.dir, "service-accounts", `${sa}.kubeconfig`)))]),
      ) as Record<(typeof SERVICE_ACCOUNTS)[number], KubeClients>;
      const node = (await kube.core.listNode()).items[0]!.metadata!.name!;
      const pv = (await kube.core.listPersistentVolume()).items[0]?.metadata?.name ?? "pvc-none";
      await kube.core
        .createNamespacedSecret({ namespace: SYSTEM_NAMESPACE, body: { metadata: { name: "not-for-agents" }, stringData: { k: "v" } } })
        .catch((err: unknown) => {
          if (apiStatus(err) !== 409) throw err;
        });

      const denied: [string, () => Promise<unknown>][] = [
        ["console deletes a Node", () => as["xlss-console"].core.deleteNode({ name: node })],
        ["console reads the backup Secret", () => as["xlss-console"].core.readNamespacedSecret({ name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE })],
        ["console deletes a PersistentVolume", () => as["xlss-console"].core.deletePersistentVolume({ name: pv })],
        ["console deletes a pod", () => as["xlss-console"].core.deleteNamespacedPod({ name: "any", namespace: "default" })],
        ["rescuer deletes a PersistentVolume", () => as["xlss-rescuer"].core.deletePersistentVolume({ name: pv })],
        ["rescuer reads another Secret", () => as["xlss-rescuer"].core.readNamespacedSecret({ name: "not-for-agents", namespace: SYSTEM_NAMESPACE })],
        ["rescuer lists Secrets", () => as["xlss-rescuer"].core.listNamespacedSecret({ namespace: SYSTEM_NAMESPACE })],
        ["rescuer deletes a pod", () => as["xlss-rescuer"].core.deleteNamespacedPod({ name: "any", namespace: "default" })],
        ["provisioner patches a Node", () => as["xlss-provisioner"].core.patchNode({ name: node, body: [{ op: "add", path: "/metadata/labels/x", value: "y" }] })],
        ["provisioner reads the backup Secret", () => as["xlss-provisioner"].core.readNamespacedSecret({ name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE })],
        ["scheduler deletes a pod", () => as["xlss-scheduler"].core.deleteNamespacedPod({ name: "any", namespace: "default" })],
        ["scheduler deletes a Node", () => as["xlss-scheduler"].core.deleteNode({ name: node })],
        ["operators delete a claim", () => as["xlss-operators"].core.deleteNamespacedPersistentVolumeClaim({ name: "any", namespace: "default" })],
        ["operators read the backup Secret", () => as["xlss-operators"].core.readNamespacedSecret({ name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE })],
        // They create a PostgresCluster's credentials Secret, and may do nothing else with Secrets.
        ["operators list Secrets", () => as["xlss-operators"].core.listNamespacedSecret({ namespace: SYSTEM_NAMESPACE })],
        [
          "operators overwrite a Secret",
          () => as["xlss-operators"].core.patchNamespacedSecret({ name: "not-for-agents", namespace: SYSTEM_NAMESPACE, body: { stringData: { k: "w" } } }, mergePatch),
        ],
        [
          "operators take the provisioner's leader lease",
          () => as["xlss-operators"].coordination.replaceNamespacedLease({ name: "xlss-provisioner", namespace: SYSTEM_NAMESPACE, body: { metadata: { name: "xlss-provisioner" } } }),
        ],
      ];
      for (const [what, call] of denied) expect(await statusOf(call), what).toBe(403);

      // What the console does, it may: the node list, and (dry run) applying an approved KafkaCluster
      // and asking for a backup.
      const consoleCan: [string, () => Promise<unknown>][] = [
        ["lists nodes", () => as["xlss-console"].core.listNode()],
        ["lists running pods", () => as["xlss-console"].core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" })],
        [
          "applies a KafkaCluster",
          () =>
            as["xlss-console"].objects.patch(
              { apiVersion: "paas.xlss.io/v1alpha1", kind: "KafkaCluster", metadata: { name: "approved", namespace: "default" }, spec: TINY } as KubernetesObject,
              undefined,
              "All",
              "xlss-console",
              true,
              PatchStrategy.ServerSideApply,
            ),
        ],
        [
          "asks for a backup",
          () =>
            as["xlss-console"].custom.createNamespacedCustomObject({
              group: "storage.xlss.io",
              version: "v1alpha1",
              plural: "xlssbackups",
              namespace: "default",
              dryRun: "All",
              body: { apiVersion: STORAGE_API_VERSION, kind: "XlssBackup", metadata: { name: "now", namespace: "default" }, spec: { claimName: "data-0", trigger: "Manual" } },
            }),
        ],
      ];
      const sc = { group: "storage.xlss.io", version: "v1alpha1" };
      const kafkaApi = { group: "paas.xlss.io", version: "v1alpha1", plural: "kafkaclusters" };
      consoleCan.push(
        ["lists a namespace's events", () => as["xlss-console"].core.listNamespacedEvent({ namespace: "default" })],
        ["lists pools", () => as["xlss-console"].custom.listClusterCustomObject({ ...sc, plural: "xlssstoragepools" })],
        ["lists volumes", () => as["xlss-console"].custom.listClusterCustomObject({ ...sc, plural: "xlssvolumes" })],
        ["lists backups, restores, failovers", () =>
          Promise.all(["xlssbackups", "xlssrestores", "xlssfailovers"].map((plural) => as["xlss-console"].custom.listClusterCustomObject({ ...sc, plural })))],
        ["lists KafkaClusters", () => as["xlss-console"].custom.listClusterCustomObject(kafkaApi)],
      );
      for (const [what, call] of consoleCan) expect(await statusOf(call), `console ${what}`).toBe(200);
      // Reads and deletes of single objects: allowed (404 for these names), not refused.
      const consoleMay: [string, () => Promise<unknown>][] = [
        ["reads a volume", () => as["xlss-console"].custom.getClusterCustomObject({ ...sc, plural: "xlssvolumes", name: "pvc-none" })],
        ["reads a failover", () => as["xlss-console"].custom.getNamespacedCustomObject({ ...sc, plural: "xlssfailovers", namespace: "default", name: "none" })],
        ["reads a KafkaCluster", () => as["xlss-console"].custom.getNamespacedCustomObject({ ...kafkaApi, namespace: "default", name: "none" })],
        ["deletes a KafkaCluster", () => as["xlss-console"].custom.deleteNamespacedCustomObject({ ...kafkaApi, namespace: "default", name: "none" })],
      ];
      for (const [what, call] of consoleMay) expect(await statusOf(call), `console ${what}`).toBe(404);
      await kube.core.deleteNamespacedSecret({ name: "not-for-agents", namespace: SYSTEM_NAMESPACE });
    });

    kubeTest("every metric the alert rules and the dashboard name is exported by a running component", async ({ cluster }) => {
      const exported = new Map<string, string>();
      for (const p of cluster.processes.filter((p) => p.name.startsWith("xlss-") && p.metricsPort)) {
        const res = await fetch(`http://127.0.0.1:${p.metricsPort}/metrics`);
        expect(res.status, p.name).toBe(200);
        for (const [name, type] of exportedMetrics(await res.text())) exported.set(name, type);
      }
      const rules = YAML.stringify(rulesOf(RULE_VALUES));
      const dashboard = fs.readFileSync(path.join(CHART, "files", "dashboard.json"), "utf8");
      const named = metricNames(rules + dashboard);
      expect(metricNames(rules).length).toBeGreaterThan(10);
      expect(named.filter((n) => !isExported(n, exported))).toEqual([]);
    });
  });
});

async function statusOf(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 200;
  } catch (err) {
    return apiStatus(err) ?? -1;
  }
}

/** The size of each platform component's log now, to read only what comes after. */
function logOffsets(dir: string): Map<string, number> {
  const logs = path.join(dir, "logs");
  return new Map(fs.readdirSync(logs).filter((f) => f.startsWith("xlss-")).map((f) => [f, fs.statSync(path.join(logs, f)).size]));
}

/** Log lines of platform components, written since `from`, that report a request RBAC refused. */
function forbiddenLines(dir: string, from: Map<string, number>): string[] {
  const logs = path.join(dir, "logs");
  return fs
    .readdirSync(logs)
    .filter((f) => f.startsWith("xlss-"))
    .flatMap((f) => {
      const text = fs.readFileSync(path.join(logs, f), "utf8").slice(from.get(f) ?? 0);
      // RBAC refusals ("User … cannot <verb> resource …", the agent's exec hint), not other 403s such
      // as writes into a namespace being deleted by an earlier test.
      return text
        .split("\n")
        .filter((l) => /cannot [a-z]+ resource|needs RBAC/.test(l))
        .map((l) => `${f}: ${l.slice(0, 400)}`);
    });
}

// promtool unit tests: series as the components export them (several replicas or pods may report
// one object), and the alerts each situation must raise, with their labels.
const ALERT_TESTS = {
  rule_files: ["rules-bare.yaml"],
  evaluation_interval: "1m",
  tests: [
    {
      interval: "1m",
      input_series: [
        // Volume a at 90% of its size (reported by its agent; the size by two provisioner replicas), b at 10%.
        { series: 'xlss_volume_used_bytes{node="n1",volume="pvc-a",namespace="t",claim="data-0",pod="rescuer-1"}', values: "90x30" },
        { series: 'xlss_volume_used_bytes{node="n1",volume="pvc-b",namespace="t",claim="data-1",pod="rescuer-1"}', values: "10x30" },
        { series: 'xlss_volume_capacity_bytes{node="n1",volume="pvc-a",namespace="t",claim="data-0",pod="provisioner-1"}', values: "100x30" },
        { series: 'xlss_volume_capacity_bytes{node="n1",volume="pvc-a",namespace="t",claim="data-0",pod="provisioner-2"}', values: "100x30" },
        { series: 'xlss_volume_capacity_bytes{node="n1",volume="pvc-b",namespace="t",claim="data-1",pod="provisioner-1"}', values: "100x30" },
        // Pool of n1 90% allocated, n2 half.
        { series: 'xlss_pool_allocated_bytes{node="n1"}', values: "90x30" },
        { series: 'xlss_pool_capacity_bytes{node="n1"}', values: "100x30" },
        { series: 'xlss_pool_filesystem_free_bytes{node="n1"}', values: "50x30" },
        { series: 'xlss_pool_allocated_bytes{node="n2"}', values: "50x30" },
        { series: 'xlss_pool_capacity_bytes{node="n2"}', values: "100x30" },
        { series: 'xlss_pool_filesystem_free_bytes{node="n2"}', values: "5x30" },
        // Hourly backups: data-0's newest is 4 h old (overdue), data-1's 30 min (fine).
        { series: 'xlss_backup_policy_period_seconds{namespace="t",claim="data-0"}', values: "3600x30" },
        { series: 'xlss_backup_newest_timestamp_seconds{namespace="t",claim="data-0"}', values: "-14400x30" },
        { series: 'xlss_backup_policy_period_seconds{namespace="t",claim="data-1"}', values: "3600x30" },
        { series: 'xlss_backup_newest_timestamp_seconds{namespace="t",claim="data-1"}', values: "-1800x30" },
        // One backup failure of data-1 at minute 5; a failed restore at minute 5.
        { series: 'xlss_backup_failures_total{namespace="t",claim="data-1",reason="unreachable",pod="rescuer-1"}', values: "0x4 1x25" },
        { series: 'xlss_restore_total{result="failed",pod="rescuer-2"}', values: "0x4 1x25" },
        // Agent of n3 stopped renewing at minute 2; n1's is fine.
        { series: 'xlss_node_agent_up{node="n1"}', values: "1x30" },
        { series: 'xlss_node_agent_up{node="n3"}', values: "1 1 0x28" },
        // A failover open for 20 minutes and counting.
        { series: 'xlss_failover_open_seconds{namespace="t",failover="kafka-1-6f1c2a9e",pod="kafka-1",phase="WaitingForBackup"}', values: "1200+60x30" },
        { series: 'xlss_repository_check_success{namespace="t"}', values: "1x30" },
        // n2's agent set a directory aside at minute 2; n1 has none.
        { series: 'xlss_stray_directories{node="n1",pod="rescuer-1"}', values: "0x30" },
        { series: 'xlss_stray_directories{node="n2",pod="rescuer-2"}', values: "0 0 1x28" },
      ],
      alert_rule_test: [
        { eval_time: "15m", alertname: "XlssVolumeUsageHigh", exp_alerts: [{ exp_labels: { severity: "warning", namespace: "t", claim: "data-0", volume: "pvc-a", node: "n1" } }] },
        { eval_time: "20m", alertname: "XlssPoolNearlyFull", exp_alerts: [{ exp_labels: { severity: "warning", node: "n1" } }] },
        { eval_time: "20m", alertname: "XlssPoolFilesystemLow", exp_alerts: [{ exp_labels: { severity: "warning", node: "n2" } }] },
        { eval_time: "10m", alertname: "XlssBackupFailed", exp_alerts: [{ exp_labels: { severity: "warning", namespace: "t", claim: "data-1", reason: "unreachable" } }] },
        { eval_time: "10m", alertname: "XlssRestoreFailed", exp_alerts: [{ exp_labels: { severity: "critical", pod: "rescuer-2" } }] },
        { eval_time: "10m", alertname: "XlssNodeAgentDown", exp_alerts: [{ exp_labels: { severity: "critical", node: "n3" } }] },
        { eval_time: "3m", alertname: "XlssNodeAgentDown", exp_alerts: [] },
        { eval_time: "1m", alertname: "XlssFailoverTooLong", exp_alerts: [{ exp_labels: { severity: "critical", namespace: "t", failover: "kafka-1-6f1c2a9e", pod: "kafka-1", phase: "WaitingForBackup" } }] },
        { eval_time: "5m", alertname: "XlssBackupOverdue", exp_alerts: [{ exp_labels: { severity: "warning", namespace: "t", claim: "data-0" } }] },
        { eval_time: "10m", alertname: "XlssRepositoryCheckFailed", exp_alerts: [] },
        { eval_time: "10m", alertname: "XlssVolumeOverCapacity", exp_alerts: [] },
        { eval_time: "5m", alertname: "XlssStrayDirectories", exp_alerts: [] },
        { eval_time: "10m", alertname: "XlssStrayDirectories", exp_alerts: [{ exp_labels: { severity: "warning", node: "n2" } }] },
      ],
      promql_expr_test: [
        // Backup age is measured against the clock; at t=0 data-0's newest backup is 4 h old.
        {
          expr: 'max by (namespace, claim) (time() - xlss_backup_newest_timestamp_seconds) > on (namespace, claim) (max by (namespace, claim) (xlss_backup_policy_period_seconds) * 2 + 600)',
          eval_time: "0m",
          exp_samples: [{ labels: '{namespace="t", claim="data-0"}', value: 14400 }],
        },
      ],
    },
  ],
};
