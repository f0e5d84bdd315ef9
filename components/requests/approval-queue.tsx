"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { Notice } from "@/components/ui/alert";
import { timestamp } from "@/components/ui/format";
import { getJson } from "@/components/live";
import { useQuery } from "@tanstack/react-query";
import { useLive } from "@/components/live";
import type { RequestDetail, RequestView } from "@/lib/console/requests";
import { DecisionPanel } from "./decision-panel";
import { DiffView } from "./diff-view";

function ApprovalItem({ request }: { request: RequestView }) {
  const t = useTranslations("approvals");
  const detail = useQuery({ queryKey: ["request", String(request.id)], queryFn: () => getJson<RequestDetail>(`/api/requests/${request.id}`) });
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" data-testid={`approval-${request.id}`}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <Link href={`/requests/${request.id}`} className="font-medium text-sky-700 hover:underline">
          #{request.id} · {t(`action.${request.action}`)} {request.kind} {request.namespace}/{request.name}
        </Link>
        <span className="text-xs text-slate-500">{t("by", { user: request.requestedBy, time: timestamp(request.createdAt) })}</span>
      </div>
      {detail.data?.comments[0] && <p className="mb-2 text-sm text-slate-600">“{detail.data.comments[0].body}”</p>}
      {detail.data?.diffError ? <Notice>{detail.data.diffError}</Notice> : detail.data ? <DiffView lines={detail.data.diff} testId={`diff-${request.id}`} /> : <p className="text-sm text-slate-400">…</p>}
      <div className="mt-3">
        <DecisionPanel id={request.id} invalidate={[["approvals"], ["request", String(request.id)]]} />
      </div>
    </li>
  );
}

/** Pending requests, oldest first, each with the diff it would apply and the decision buttons. */
export function ApprovalQueue({ initial }: { initial: RequestView[] }) {
  const t = useTranslations("approvals");
  const { data } = useLive(["approvals"], "/api/requests?status=pending", initial, 4000);
  if (data.length === 0) return <p className="text-sm text-slate-500" data-testid="approvals-empty">{t("empty")}</p>;
  return (
    <ul className="space-y-4">
      {[...data].reverse().map((r) => (
        <ApprovalItem key={r.id} request={r} />
      ))}
    </ul>
  );
}
