import { timestamp } from "./format";

/** Kubernetes Events, newest first: Warning in red. */
export function EventList({ events }: { events: { type?: string; reason?: string; message?: string; count?: number; last?: string; object: string }[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-500">—</p>;
  return (
    <ul className="space-y-2 text-sm" data-testid="events">
      {events.map((e, i) => (
        <li key={`${e.last}-${i}`} className="grid grid-cols-[10rem_12rem_1fr] gap-3">
          <span className="text-xs text-slate-500">{timestamp(e.last)}</span>
          <span className={`break-words font-medium ${e.type === "Warning" ? "text-red-700" : "text-slate-700"}`}>
            {e.reason}
            {e.count && e.count > 1 ? ` ×${e.count}` : ""}
          </span>
          <span className="text-slate-600">
            <span className="font-mono text-xs text-slate-400">{e.object}</span> {e.message}
          </span>
        </li>
      ))}
    </ul>
  );
}
