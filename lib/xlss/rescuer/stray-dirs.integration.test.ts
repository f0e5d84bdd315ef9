import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { describe, expect } from "vitest";
import { nodeDisk, rescuerName } from "../../../local-cluster/components";
import { kubeTest } from "../../../test/kube";
import { eventsOnceRecorded, statefulSetOn } from "../../../test/workloads";
import { waitFor } from "../../k8s/wait";
import { parseStrayEntry, strayRoot } from "./stray-dirs";

describe("directories no volume names", () => {
  kubeTest("are set aside by the node agent with an Event, then removed after the quarantine TTL; a volume's own directory is never touched", async ({ kube, namespace, cluster }) => {
    const node = "xlss-node-3";
    const disk = nodeDisk(cluster, node);
    // A real volume on the node, with data, before the stray directory appears.
    const pv = await statefulSetOn(kube, namespace, "keep", node);
    const own = pv.spec!.local!.path!;
    fs.writeFileSync(path.join(own, "segment.log"), "offset 7\n");

    // What a forgotten volume of a node deleted from the cluster leaves: a directory named like a
    // volume that no XlssVolume names.
    const name = `pvc-stray-${randomBytes(4).toString("hex")}`;
    const stray = path.join(disk, "volumes", name);
    fs.mkdirSync(stray, { recursive: true });
    fs.writeFileSync(path.join(stray, "data.bin"), Buffer.alloc(1024 ** 2, 3));

    const setAside = await waitFor(
      async () => {
        if (fs.existsSync(stray)) return undefined;
        const entry = fs.readdirSync(strayRoot(disk)).find((e) => parseStrayEntry(e)?.name === name);
        return entry ? path.join(strayRoot(disk), entry) : undefined;
      },
      { what: `${stray} set aside`, timeoutMs: 60_000 },
    );
    // Moved, not altered.
    expect(fs.readFileSync(path.join(setAside, "data.bin")).length).toBe(1024 ** 2);
    const [event] = (await eventsOnceRecorded(kube, "default", node, "StrayDirectory")).filter((e) => e.message?.includes(name));
    expect(event?.type).toBe("Warning");
    expect(event?.involvedObject.kind).toBe("XlssStoragePool");
    expect(event?.message).toBe(`directory ${stray} (1 MiB) belongs to no XlssVolume: set aside as ${setAside}, removed in 30 s`);
    const agent = cluster.processes.find((p) => p.name === rescuerName(node));
    const metrics = await (await fetch(`http://127.0.0.1:${agent?.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`xlss_stray_directories\\{node="${node}"\\} [1-9]`));

    // The sweep that set the stray directory aside went past the volume's directory: still there, data intact.
    expect(fs.readFileSync(path.join(own, "segment.log"), "utf8")).toBe("offset 7\n");

    // The local cluster's quarantine TTL is 30 s.
    await waitFor(async () => !fs.existsSync(setAside), { what: `${setAside} removed after the TTL`, timeoutMs: 90_000 });
    expect(fs.readFileSync(path.join(own, "segment.log"), "utf8")).toBe("offset 7\n");
  });
});
