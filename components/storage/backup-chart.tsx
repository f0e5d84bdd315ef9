"use client";

import { useTranslations } from "next-intl";
import { bytes, duration, timestamp } from "@/components/ui/format";
import type { BackupView } from "@/lib/console/storage";

/** One series of bars over time, scaled to its own maximum; hand-drawn SVG keeps the page's JavaScript small. */
function Bars({ points, format, color, label, testId }: { points: { at: string; value: number }[]; format: (n: number) => string; color: string; label: string; testId: string }) {
  const max = Math.max(...points.map((p) => p.value), 1);
  const width = 100 / Math.max(points.length, 1);
  return (
    <figure data-testid={testId}>
      <figcaption className="mb-1 flex justify-between text-xs text-slate-500">
        <span>{label}</span>
        <span>{format(max)}</span>
      </figcaption>
      <svg viewBox="0 0 100 30" preserveAspectRatio="none" className="h-24 w-full rounded bg-slate-50" role="img" aria-label={label}>
        {points.map((p, i) => {
          const h = (p.value / max) * 28;
          return (
            <rect key={`${p.at}-${i}`} x={i * width + width * 0.15} y={30 - h} width={width * 0.7} height={h} fill={color}>
              <title>{`${timestamp(p.at)}: ${format(p.value)}`}</title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}

/** Size processed and duration of the claim's completed backups, oldest to newest (up to 40). */
export function BackupCharts({ backups }: { backups: BackupView[] }) {
  const t = useTranslations("volume");
  const done = backups.filter((b) => b.phase === "Completed" && b.completionTime).slice(0, 40).reverse();
  if (done.length === 0) return <p className="text-sm text-slate-500">{t("noChart")}</p>;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Bars testId="chart-size" label={t("chartSize")} color="#0284c7" format={bytes} points={done.map((b) => ({ at: b.completionTime ?? "", value: b.bytesProcessed ?? 0 }))} />
      <Bars testId="chart-duration" label={t("chartDuration")} color="#7c3aed" format={duration} points={done.map((b) => ({ at: b.completionTime ?? "", value: b.durationSeconds ?? 0 }))} />
    </div>
  );
}
