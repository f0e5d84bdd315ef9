import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { SchedulerCache } from "./cache";

const node: V1Node = { metadata: { name: "n1" }, status: { allocatable: { pods: "10", cpu: "4" } } };
const pod = (name: string, uid: string, nodeName?: string): V1Pod => ({
  metadata: { name, namespace: "a", uid },
  spec: { nodeName, containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] },
});

function cacheOver(pods: V1Pod[]) {
  const podInformer = {
    list: () => pods,
    get: (name: string, namespace?: string) => pods.find((p) => p.metadata?.name === name && p.metadata?.namespace === namespace),
  };
  return new SchedulerCache({ list: () => [node] }, podInformer);
}
const requested = (c: SchedulerCache) => c.snapshot().get("n1")?.requested ?? {};

describe("SchedulerCache", () => {
  it("counts an assumed pod until its binding shows in the informer, then once", () => {
    const pods = [pod("p", "u1")];
    const cache = cacheOver(pods);
    cache.assume(pods[0]!, "n1");
    expect(requested(cache)).toMatchObject({ cpu: 1000, pods: 1 });
    pods[0] = pod("p", "u1", "n1");
    expect(requested(cache)).toMatchObject({ cpu: 1000, pods: 1 });
  });

  it("drops the assumption of a pod deleted before its binding was seen (a namespace going away)", () => {
    const pods = [pod("p", "u1")];
    const cache = cacheOver(pods);
    cache.assume(pods[0]!, "n1");
    pods.pop();
    expect(requested(cache)).toEqual({});
  });

  it("drops it when the name now belongs to a new pod", () => {
    const pods = [pod("p", "u1")];
    const cache = cacheOver(pods);
    cache.assume(pods[0]!, "n1");
    pods[0] = pod("p", "u2");
    expect(requested(cache)).toEqual({});
  });
});
