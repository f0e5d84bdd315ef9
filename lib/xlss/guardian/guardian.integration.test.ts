import { describe, expect } from "vitest";
import { isNodeReady } from "../../../local-cluster/nodes";
import { killMachine, reviveMachine } from "../../../local-cluster/components";
import { waitFor } from "../../k8s/wait";
import { kubeTest } from "../../../test/kube";
import { eventsAbout, isRunning, statefulSetWithStorage, waitForRunningPods } from "../../../test/workloads";


// The local cluster runs the guardian with a 20 s window; node failure is detected after ~12 s.
describe("the guardian", () => {
  kubeTest("force-deletes the XLSS pods of a node that is really gone, and only those", async ({ kube, namespace, cluster }) => {
    await kube.apps.createNamespacedStatefulSet({ namespace, body: statefulSetWithStorage({ name: "db", replicas: 1 }) });
    const [db] = await waitForRunningPods(kube, namespace, "app=db", 1);
    const node = db!.spec?.nodeName ?? "";
    await kube.core.createNamespacedPod({
      namespace,
      body: { metadata: { name: "plain", labels: { app: "plain" } }, spec: { nodeSelector: { "kubernetes.io/hostname": node }, containers: [{ name: "c", image: "registry.local/app:1" }] } },
    });
    await waitForRunningPods(kube, namespace, "app=plain", 1);

    await killMachine(cluster, node);
    try {
      const [event] = await waitFor(async () => {
        const e = await eventsAbout(kube, namespace, "db-0", "ForceDeleted");
        return e.length ? e : undefined;
      }, { what: "ForceDeleted event for db-0", timeoutMs: 90_000 });
      expect(event?.message).toMatch(new RegExp(`node ${node} is gone: Ready=Unknown for \\d+s \\(window 20s\\) and its XLSS agent's heartbeat expired`));
      // The StatefulSet made a new db-0; its volume still sits on the dead node, so it waits (the
      // rescue, which moves the volume, is the scheduler's part).
      const replacement = await waitFor(
        async () => {
          const p = await kube.core.readNamespacedPod({ name: "db-0", namespace });
          return p.metadata?.uid !== db!.metadata?.uid ? p : undefined;
        },
        { what: "a new db-0" },
      );
      expect(replacement.spec?.nodeName ?? "").toBe("");
      // The pod without XLSS volumes is not the guardian's business: evicted, it stays Terminating.
      // (Kubernetes' taint eviction deletes it on its own clock, not necessarily before the guardian acts.)
      const plain = await waitFor(
        async () => {
          const p = await kube.core.readNamespacedPod({ name: "plain", namespace });
          return p.metadata?.deletionTimestamp ? p : undefined;
        },
        { what: "plain evicted (Terminating)", timeoutMs: 60_000 },
      );
      expect(plain.metadata?.deletionTimestamp).toBeTruthy();
      expect(await eventsAbout(kube, namespace, "plain", "ForceDeleted")).toEqual([]);
    } finally {
      await reviveMachine(cluster, node);
    }
    // Back on its revived node (where its data is), the new pod runs.
    const [back] = await waitForRunningPods(kube, namespace, "app=db", 1, 90_000);
    expect(back?.spec?.nodeName).toBe(node);
  });

  kubeTest("leaves a node that comes back inside the window alone", async ({ kube, namespace, cluster }) => {
    await kube.apps.createNamespacedStatefulSet({ namespace, body: statefulSetWithStorage({ name: "flappy", replicas: 1 }) });
    const [pod] = await waitForRunningPods(kube, namespace, "app=flappy", 1);
    const node = pod!.spec?.nodeName ?? "";
    await killMachine(cluster, node);
    try {
      await waitFor(async () => !isNodeReady(await kube.core.readNode({ name: node })), { what: `${node} NotReady`, timeoutMs: 60_000 });
    } finally {
      await reviveMachine(cluster, node);
    }
    await waitFor(async () => isNodeReady(await kube.core.readNode({ name: node })), { what: `${node} Ready again` });
    // Past the moment the window would have ended had the node stayed down.
    await new Promise((r) => setTimeout(r, 25_000));
    const same = await kube.core.readNamespacedPod({ name: "flappy-0", namespace });
    expect(same.metadata?.uid).toBe(pod!.metadata?.uid);
    expect(isRunning(same)).toBe(true);
    expect(await eventsAbout(kube, namespace, "flappy-0", "ForceDeleted")).toEqual([]);
  });
});
