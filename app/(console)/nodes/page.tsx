import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { NodeTable } from "@/components/node-table";
import { ErrorAlert } from "@/components/ui/alert";
import { Forbidden } from "@/components/shell/forbidden";
import { pagePrincipal } from "@/lib/auth/guard";
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
  const principal = await pagePrincipal("/nodes");
  if (principal.forbidden) return <Forbidden />;
  const [result, t] = await Promise.all([loadNodes(), getTranslations("nodes")]);
  return (
    <section className="space-y-4">
      <div className="flex items-baseline justify-between">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        {"nodes" in result && (
          <p className="text-sm text-slate-500" data-testid="node-count">
            {t("readyCount", { ready: result.nodes.filter((n) => n.status === "Ready").length, total: result.nodes.length })}
          </p>
        )}
      </div>
      {"error" in result ? <ErrorAlert title={t("unreachable")} message={result.error} /> : <NodeTable nodes={result.nodes} />}
    </section>
  );
}
