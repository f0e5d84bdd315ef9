/** A thin bar: used of total, red above 85 %, with a caption. */
export function UsageBar({ used, total, label, secondary }: { used: number; total: number; label: string; secondary?: number }) {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  const second = secondary !== undefined && total > 0 ? Math.min(100, Math.round((secondary / total) * 100)) : undefined;
  return (
    <div className="min-w-32">
      <div className="relative h-1.5 rounded bg-slate-200">
        {second !== undefined && <div className="absolute h-1.5 rounded bg-sky-200" style={{ width: `${second}%` }} />}
        <div className={`absolute h-1.5 rounded ${pct > 85 ? "bg-red-500" : "bg-sky-500"}`} style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-xs text-slate-500">{label}</p>
    </div>
  );
}
