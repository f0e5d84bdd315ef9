"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { sendJson, useAction } from "@/components/live";
import type { RequestView } from "@/lib/console/requests";

/** Approve (which applies) or reject, with a comment; a 409 says who decided first. */
export function DecisionPanel({ id, invalidate }: { id: number; invalidate: string[][] }) {
  const t = useTranslations("approvals");
  const [comment, setComment] = useState("");
  const decide = useAction((approve: boolean) => sendJson<RequestView>(`/api/requests/${id}/decision`, "POST", { approve, comment: comment || undefined }), invalidate);
  return (
    <div className="space-y-2">
      <textarea aria-label={t("comment")} placeholder={t("comment")} data-testid={`decision-comment-${id}`} className="w-full rounded-md border border-slate-300 p-2 text-sm" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      <div className="flex gap-2">
        <Button data-testid={`approve-${id}`} disabled={decide.isPending} onClick={() => decide.mutate(true)}>
          {t("approve")}
        </Button>
        <Button variant="danger" data-testid={`reject-${id}`} disabled={decide.isPending} onClick={() => decide.mutate(false)}>
          {t("reject")}
        </Button>
      </div>
      {decide.error && <ErrorAlert title={t("failed")} message={decide.error.message} testId={`decision-error-${id}`} />}
    </div>
  );
}
