import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, inject } from "vitest";
import { isNotFound } from "../lib/k8s/errors";
import { forceDeletePod } from "../lib/k8s/pods";
import { waitFor } from "../lib/k8s/wait";
import { kubeTest } from "../test/kube";
import { isRunning } from "../test/workloads";
import { isNodeReady, killNode, reviveNode } from "./nodes";
import { binPath } from "./versions";


kubeTest("a StatefulSet of 3 with a headless Service gets 3 Running pods placed by kube-scheduler", async ({ kube, namespace }) => {
  const labels = { app: "proof" };
  await kube.core.createNamespacedService({
    namespace,
    body: { metadata: { name: "proof" }, spec: { clusterIP: "None", selector: labels, ports: [{ name: "p", port: 9092 }] } },
  });
  await kube.apps.createNamespacedStatefulSet({
    namespace,
    body: {
      metadata: { name: "proof" },
      spec: {
        serviceName: "proof",
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: "broker", image: "registry.local/kafka:4.1", resources: { requests: { cpu: "1", memory: "2Gi" } } }] },
        },
      },
    },
  });

  const pods = await waitFor(
    async () => {
      const list = await kube.core.listNamespacedPod({ namespace, labelSelector: "app=proof" });
      return list.items.filter(isRunning).length === 3 ? list.items : undefined;
    },
    { what: "3 Running pods of StatefulSet proof", timeoutMs: 60_000 },
  );
  expect(pods.map((p) => p.metadata?.name).sort()).toEqual(["proof-0", "proof-1", "proof-2"]);
  const nodes = new Set((await kube.core.listNode()).items.map((n) => n.metadata?.name));
  for (const pod of pods) {
    expect(pod.spec?.schedulerName).toBe("default-scheduler");
    expect(nodes.has(pod.spec?.nodeName)).toBe(true);
  }
  // The Scheduled events prove kube-scheduler, not something else, bound them. kube-scheduler sends
  // its Events asynchronously after binding, so they may come after the pods run.
  const events = await waitFor(
    async () => {
      const list = await kube.core.listNamespacedEvent({ namespace, fieldSelector: "reason=Scheduled" });
      return new Set(list.items.map((e) => e.involvedObject.name)).size === 3 ? list : undefined;
    },
    { what: "a Scheduled Event for each of the 3 pods", timeoutMs: 30_000 },
  );
  expect(new Set(events.items.map((e) => e.involvedObject.name))).toEqual(new Set(["proof-0", "proof-1", "proof-2"]));
  expect(events.items.every((e) => e.reportingComponent === "default-scheduler" || e.source?.component === "default-scheduler")).toBe(true);

  // The StatefulSet controller counts the ready pods after they are ready.
  await waitFor(async () => (await kube.apps.readNamespacedStatefulSet({ name: "proof", namespace })).status?.readyReplicas === 3, {
    what: "StatefulSet proof counting 3 ready replicas",
    timeoutMs: 30_000,
  });
});

kubeTest("a killed node's pod stays Terminating until force-deleted; a revived node is Ready again", async ({ kube, namespace }) => {
  const node = "xlss-node-4";
  await kube.core.createNamespacedPod({
    namespace,
    body: {
      metadata: { name: "victim" },
      spec: {
        nodeSelector: { "kubernetes.io/hostname": node },
        terminationGracePeriodSeconds: 2,
        containers: [{ name: "c", image: "registry.local/app:1" }],
      },
    },
  });
  await waitFor(async () => isRunning(await kube.core.readNamespacedPod({ name: "victim", namespace })), {
    what: "pod victim Running",
  });

  await killNode(kube, node);
  try {
    await waitFor(async () => !isNodeReady(await kube.core.readNode({ name: node })), {
      what: `${node} NotReady`,
      timeoutMs: 60_000,
    });
    const terminating = await waitFor(
      async () => {
        const pod = await kube.core.readNamespacedPod({ name: "victim", namespace });
        return pod.metadata?.deletionTimestamp ? pod : undefined;
      },
      { what: "pod victim evicted (Terminating)", timeoutMs: 60_000 },
    );
    // No kubelet confirms the deletion: well past its grace period the pod is still there.
    const grace = terminating.metadata?.deletionGracePeriodSeconds ?? 30;
    await new Promise((r) => setTimeout(r, (grace + 5) * 1000));
    const stuck = await kube.core.readNamespacedPod({ name: "victim", namespace });
    expect(stuck.metadata?.deletionTimestamp).toBeTruthy();
    expect(stuck.metadata?.uid).toBe(terminating.metadata?.uid);

    expect(await forceDeletePod(kube, { name: "victim", namespace, uid: stuck.metadata?.uid ?? "" })).toBe(true);
    await waitFor(
      async () => {
        try {
          await kube.core.readNamespacedPod({ name: "victim", namespace });
          return false;
        } catch (err) {
          return isNotFound(err);
        }
      },
      { what: "pod victim gone after force delete", timeoutMs: 10_000 },
    );
  } finally {
    await reviveNode(kube, node);
  }
  const revived = await waitFor(
    async () => {
      const n = await kube.core.readNode({ name: node });
      const tainted = n.spec?.taints?.some((t) => t.key.startsWith("node.kubernetes.io/unreachable"));
      return isNodeReady(n) && !tainted ? n : undefined;
    },
    { what: `${node} Ready and untainted again`, timeoutMs: 60_000 },
  );
  expect(isNodeReady(revived)).toBe(true);
});

kubeTest("the real kubectl works with the written kubeconfig", async () => {
  const { stdout } = await promisify(execFile)(binPath("kubectl"), ["--kubeconfig", inject("kubeconfig"), "get", "nodes", "-o", "name"]);
  // The cluster's own nodes; other tests add short-lived nodes of their own (xlss-removed-…).
  expect(stdout.trim().split("\n").filter((n) => /^node\/xlss-node-\d+$/.test(n)).sort()).toEqual(["node/xlss-node-1", "node/xlss-node-2", "node/xlss-node-3", "node/xlss-node-4"]);
  const version = await promisify(execFile)(binPath("kubectl"), ["--kubeconfig", inject("kubeconfig"), "version", "-o", "json"]);
  expect(JSON.parse(version.stdout).serverVersion.gitVersion).toBe("v1.36.3");
});

kubeTest("kubectl exec runs the command on this machine through KWOK's kubelet server", async ({ kube, namespace, cluster }) => {
  await kube.core.createNamespacedPod({
    namespace,
    body: { metadata: { name: "shell" }, spec: { containers: [{ name: "c", image: "registry.local/app:1" }] } },
  });
  await waitFor(async () => isRunning(await kube.core.readNamespacedPod({ name: "shell", namespace })), { what: "pod shell Running" });
  const kubectl = (...args: string[]) => promisify(execFile)(binPath("kubectl"), ["--kubeconfig", inject("kubeconfig"), "-n", namespace, ...args]);
  // A pod without volumes works in the cluster's exec folder (kwok-exec.ts); pods with volumes in theirs (exec-workdirs.ts).
  const { stdout, stderr } = await kubectl("exec", "shell", "--", "/bin/sh", "-c", "pwd; echo to-stderr >&2");
  expect(stdout.trim()).toBe(`${cluster.dir}/exec`);
  expect(stderr).toContain("to-stderr");
  // KWOK v0.8 loses the exit code: the API server gets an internal error naming it.
  await expect(kubectl("exec", "shell", "--", "/bin/sh", "-c", "exit 3")).rejects.toThrow(/exit status 3/);
});
