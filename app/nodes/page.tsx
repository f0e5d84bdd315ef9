import type { Metadata } from "next";
import { NodeTable } from "@/components/node-table";
import { sharedKubeClients } from "@/lib/k8s/client";
import { apiMessage } from "@/lib/k8s/errors";
import { summarizeNodes, type NodeSummary } from "@/lib/k8s/node-summary";

export const metadata: Metadata = { title: "Nodes" };
// Live cluster state: never prerendered or cached.
export const dynamic = "force-dynamic";

async function loadNodes(): Promise<{ nodes: NodeSummary[] } | { error: string }> {
  try {
    const { core } = sharedKubeClients();
    const [nodes, pods] = await Promise.all([
      core.listNode(),
      core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
    ]);
    return { nodes: summarizeNodes(nodes.items, pods.items, new Date()) };
  } catch (err) {
    return { error: apiMessage(err) };
  }
}

export default async function NodesPage() {
  const result = await loadNodes();
  return (
    <section className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">Nodes</h1>
        {"nodes" in result && (
          <p className="text-sm text-slate-500" data-testid="node-count">
            {result.nodes.filter((n) => n.status === "Ready").length} of {result.nodes.length} Ready
          </p>
        )}
      </div>
      {"error" in result ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
          <p className="font-medium">The Kubernetes API server could not be reached.</p>
          <p className="mt-1 font-mono text-xs">{result.error}</p>
          <p className="mt-2">
            Check the console&apos;s KUBECONFIG; for the local cluster run <code>npm run cluster -- up</code>.
          </p>
        </div>
      ) : (
        <NodeTable nodes={result.nodes} />
      )}
    </section>
  );
}
