import type { DiffLine } from "@/lib/console/requests";

/** A line diff of YAML: removed lines red with "-", added green with "+". */
export function DiffView({ lines, testId }: { lines: DiffLine[]; testId?: string }) {
  return (
    <pre data-testid={testId} className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-5">
      {lines.map((l, i) => (
        <div key={i} className={l.op === "add" ? "bg-emerald-100 text-emerald-900" : l.op === "remove" ? "bg-red-100 text-red-900" : "text-slate-600"}>
          {l.op === "add" ? "+ " : l.op === "remove" ? "- " : "  "}
          {l.text}
        </div>
      ))}
    </pre>
  );
}
