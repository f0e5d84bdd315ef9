"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ErrorAlert, Notice } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { timestamp } from "@/components/ui/format";
import { Card } from "@/components/ui/page-header";
import { sendJson, useAction, useLive } from "@/components/live";
import type { RequestDetail } from "@/lib/console/requests";
import { DecisionPanel } from "./decision-panel";
import { DiffView } from "./diff-view";
import { RequestStatusBadge } from "./status-badge";

export function RequestDetailView({ initial, canDecide }: { initial: RequestDetail; canDecide: boolean }) {
  const t = useTranslations("requests");
  const id = initial.request.id;
  const key = ["request", String(id)];
  const { data } = useLive(key, `/api/requests/${id}`, initial, 3000);
  const [body, setBody] = useState("");
  const addComment = useAction(() => sendJson(`/api/requests/${id}/comments`, "POST", { body }), [key]);
  const r = data.request;
  const clusterHref = `/clusters/${r.kind.toLowerCase()}/${r.namespace}/${r.name}`;
  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-center gap-4 text-sm">
          <RequestStatusBadge status={r.status} testId="request-status" />
          <span>{t(`action.${r.action}`)}</span>
          <span>
            {t("requestedBy", { user: r.requestedBy, time: timestamp(r.createdAt) })}
          </span>
          {r.decidedBy && <span>{t("decidedBy", { user: r.decidedBy, time: timestamp(r.decidedAt) })}</span>}
          {r.status === "applied" && r.action !== "delete" && (
            <Link href={clusterHref} className="text-sky-700 hover:underline" data-testid="cluster-link">
              {t("openCluster")}
            </Link>
          )}
        </div>
        {r.error && (
          <div className="mt-3">
            <ErrorAlert title={t("applyFailed")} message={r.error} />
          </div>
        )}
      </Card>
      {r.status === "pending" && (
        <Card title={t("diff")}>
          {data.diffError ? <Notice>{t("diffError", { error: data.diffError })}</Notice> : <DiffView lines={data.diff} testId="request-diff" />}
          {canDecide && (
            <div className="mt-4">
              <DecisionPanel id={id} invalidate={[key]} />
            </div>
          )}
        </Card>
      )}
      <Card title={t("manifest")}>
        <pre className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs">{data.manifestYaml}</pre>
      </Card>
      <Card title={t("comments")}>
        <ul className="space-y-3" data-testid="comments">
          {data.comments.map((c, i) => (
            <li key={i} className="text-sm">
              <span className="font-medium">{c.author}</span> <span className="text-xs text-slate-400">{timestamp(c.at)}</span>
              <p className="whitespace-pre-wrap text-slate-700">{c.body}</p>
            </li>
          ))}
        </ul>
        <div className="mt-4 flex gap-2">
          <input aria-label={t("addComment")} placeholder={t("addComment")} className="flex-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm" value={body} onChange={(e) => setBody(e.target.value)} />
          <Button
            variant="secondary"
            disabled={!body.trim() || addComment.isPending}
            onClick={() =>
              addComment.mutate(undefined, {
                onSuccess: () => setBody(""),
              })
            }
          >
            {t("send")}
          </Button>
        </div>
      </Card>
    </div>
  );
}
