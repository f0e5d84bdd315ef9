"use client";

import { useTranslations } from "next-intl";
import { Badge, phaseTone } from "@/components/ui/badge";

export function RequestStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const t = useTranslations("requests.status");
  return (
    <Badge tone={phaseTone(status)} testId={testId}>
      {t(status)}
    </Badge>
  );
}
