"use client";

import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";
import { duration } from "@/components/ui/format";
import type { BackupStanding } from "@/lib/console/backup-state";

const TONE: Record<BackupStanding["health"], Tone> = { ok: "green", overdue: "red", never: "amber", paused: "slate", invalid: "red", none: "slate" };

/** A volume's backup standing: a badge, and the last good backup's age. */
export function BackupHealth({ standing, testId }: { standing: BackupStanding; testId?: string }) {
  const t = useTranslations("backupHealth");
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Badge tone={TONE[standing.health]} testId={testId}>
        {t(standing.health)}
      </Badge>
      {standing.lastGoodAgeSeconds !== undefined && <span className="text-xs text-slate-500">{t("age", { age: duration(standing.lastGoodAgeSeconds) })}</span>}
    </span>
  );
}
