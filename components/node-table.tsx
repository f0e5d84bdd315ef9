import { useTranslations } from "next-intl";
import type { NodeSummary } from "@/lib/k8s/node-summary";

const STATUS_STYLE: Record<NodeSummary["status"], string> = {
  Ready: "bg-emerald-100 text-emerald-800",
  NotReady: "bg-amber-100 text-amber-800",
  Unknown: "bg-red-100 text-red-800",
};

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function age(seconds: number | undefined): string {
  if (seconds === undefined) return "";
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

function Usage({ used, total, label }: { used: number; total: number; label: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return (
    <div className="min-w-32">
      <div className="h-1.5 rounded bg-slate-200">
        <div className={`h-1.5 rounded ${pct > 85 ? "bg-red-500" : "bg-sky-500"}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-500">{label}</p>
    </div>
  );
}

/** The cluster's nodes: health, zone, requested vs allocatable CPU and memory, pods, taints. */
export function NodeTable({ nodes }: { nodes: NodeSummary[] }) {
  const t = useTranslations("nodes");
  if (nodes.length === 0) {
    return <p className="text-sm text-slate-500">{t("none")}</p>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">{t("col.node")}</th>
            <th className="px-4 py-2">{t("col.status")}</th>
            <th className="px-4 py-2">{t("col.zone")}</th>
            <th className="px-4 py-2">{t("col.cpu")}</th>
            <th className="px-4 py-2">{t("col.memory")}</th>
            <th className="px-4 py-2">{t("col.pods")}</th>
            <th className="px-4 py-2">{t("col.taints")}</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.name} data-testid={`node-${n.name}`} className="border-b border-slate-100 last:border-0">
              <td className="whitespace-nowrap px-4 py-3 font-medium">{n.name}</td>
              <td className="px-4 py-3">
                <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[n.status]}`}>{n.status}</span>
                {n.unschedulable && <span className="ml-2 text-xs text-slate-500">{t("cordoned")}</span>}
                <span className="ml-2 text-xs text-slate-400">{age(n.statusAgeSeconds)}</span>
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-slate-600">{n.zone ?? "—"}</td>
              <td className="px-4 py-3">
                <Usage used={n.cpu.requested} total={n.cpu.allocatable} label={`${n.cpu.requested.toFixed(1)} / ${n.cpu.allocatable} cores`} />
              </td>
              <td className="px-4 py-3">
                <Usage used={n.memory.requested} total={n.memory.allocatable} label={`${gib(n.memory.requested)} / ${gib(n.memory.allocatable)}`} />
              </td>
              <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                {n.pods.count} / {n.pods.capacity}
              </td>
              <td className="px-4 py-3 font-mono text-xs text-slate-500">{n.taints.join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
