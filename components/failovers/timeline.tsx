"use client";

import { useTranslations } from "next-intl";
import { duration, timestamp } from "@/components/ui/format";
import type { FailoverStage } from "@/lib/xlss/api/types";

const COLORS: Record<string, string> = { Detect: "bg-red-400", Cleanup: "bg-amber-400", Reschedule: "bg-sky-400", Restore: "bg-violet-500", Ready: "bg-emerald-500" };

/** The stages as bars on one time axis from the first stage's start; an open stage runs to `now` (the data's fetch time). */
export function FailoverTimeline({ stages, now }: { stages: FailoverStage[]; now: number }) {
  const t = useTranslations("failovers");
  if (stages.length === 0) return <p className="text-sm text-slate-500">{t("noStages")}</p>;
  const start = Math.min(...stages.map((s) => Date.parse(s.startTime)));
  const end = Math.max(...stages.map((s) => (s.completionTime ? Date.parse(s.completionTime) : now)), start + 1);
  const span = end - start;
  return (
    <ol className="space-y-2" data-testid="failover-timeline">
      {stages.map((s) => {
        const from = Date.parse(s.startTime);
        const to = s.completionTime ? Date.parse(s.completionTime) : now;
        return (
          <li key={s.name} className="grid grid-cols-[7rem_1fr_6rem] items-center gap-3 text-sm">
            <span className="font-medium">{t(`stage.${s.name}`)}</span>
            <div className="relative h-4 rounded bg-slate-100" title={`${timestamp(s.startTime)} → ${timestamp(s.completionTime)}`}>
              <div
                className={`absolute h-4 rounded ${COLORS[s.name] ?? "bg-slate-400"} ${s.completionTime ? "" : "animate-pulse"}`}
                style={{ left: `${((from - start) / span) * 100}%`, width: `${Math.max(0.5, ((to - from) / span) * 100)}%` }}
              />
            </div>
            <span className="text-right tabular-nums text-slate-600">{s.completionTime ? duration(s.seconds ?? (to - from) / 1000) : t("running")}</span>
          </li>
        );
      })}
    </ol>
  );
}
