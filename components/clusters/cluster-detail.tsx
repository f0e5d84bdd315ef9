"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useRef } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge, phaseTone, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EventList } from "@/components/ui/event-list";
import { timestamp } from "@/components/ui/format";
import { Card } from "@/components/ui/page-header";
import { sendJson, useAction, useLive } from "@/components/live";
import { RequestList } from "@/components/requests/request-list";
import type { ClusterDetail } from "@/lib/console/clusters";
import type { RequestView } from "@/lib/console/requests";

/** Ready=True and Degraded=False are good news; Progressing either way is neutral. */
function conditionTone(type: string, status: string): Tone {
  if (type === "Ready") return status === "True" ? "green" : "red";
  if (type === "Degraded") return status === "True" ? "red" : "green";
  return "slate";
}

/** Members, endpoints, conditions, Events and request history of one cluster, with change and delete requests. */
export function ClusterDetailView({ initial, requests, plural, apiVersion }: { initial: ClusterDetail; requests: RequestView[]; plural: string; apiVersion: string }) {
  const t = useTranslations("clusters");
  const router = useRouter();
  const confirm = useRef<HTMLDialogElement>(null);
  const { kind, namespace, name } = initial.summary;
  const { data } = useLive(["cluster", kind, namespace, name], `/api/clusters/${kind.toLowerCase()}/${namespace}/${name}`, initial, 3000);
  const requestDelete = useAction(
    () => sendJson<RequestView>("/api/requests", "POST", { action: "delete", manifest: { apiVersion, kind, metadata: { name, namespace } } }),
    [],
  );
  const s = data.summary;
  return (
    <div className="space-y-6">
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-4">
          <div className="flex flex-wrap items-center gap-4 text-sm">
            <Badge tone={phaseTone(s.phase)} testId="cluster-phase">
              {s.phase ?? t("pending")}
            </Badge>
            <span>{t("readyOf", { ready: s.readyReplicas ?? 0, total: s.desiredReplicas ?? 0 })}</span>
            <span>{t("versionIs", { version: s.version ?? "—" })}</span>
            <span className="text-slate-500">{t("createdAt", { time: timestamp(s.created) })}</span>
            {data.generation !== undefined && data.observedGeneration !== data.generation && <span className="text-amber-700">{t("reconciling")}</span>}
          </div>
          <div className="flex gap-2">
            <Link href={`/catalog/${plural}?namespace=${namespace}&name=${name}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
              {t("requestChange")}
            </Link>
            <Button variant="danger" onClick={() => confirm.current?.showModal()}>
              {t("requestDelete")}
            </Button>
          </div>
        </div>
        {requestDelete.error && <div className="mt-3"><ErrorAlert title={t("deleteFailed")} message={requestDelete.error.message} /></div>}
        <dialog ref={confirm} className="m-auto max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
          <p className="text-sm">{t("deleteConfirm", { name: `${namespace}/${name}` })}</p>
          <div className="mt-4 flex justify-end gap-2">
            <Button variant="secondary" onClick={() => confirm.current?.close()}>
              {t("cancel")}
            </Button>
            <Button
              variant="danger"
              onClick={() => {
                confirm.current?.close();
                requestDelete.mutate(undefined, { onSuccess: (r) => router.push(`/requests/${r.id}`) });
              }}
            >
              {t("requestDelete")}
            </Button>
          </div>
        </dialog>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("endpoints")}>
          {data.endpoints.length === 0 ? (
            <p className="text-sm text-slate-500">—</p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="endpoints">
              {data.endpoints.map((e, i) => (
                <li key={i} className="font-mono text-xs">
                  {Object.entries(e)
                    .map(([k, v]) => `${k}: ${String(v)}`)
                    .join(" · ")}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={t("conditions")}>
          <ul className="space-y-2 text-sm" data-testid="conditions">
            {data.conditions.map((c) => (
              <li key={c.type}>
                <Badge tone={conditionTone(c.type, c.status)}>
                  {c.type}={c.status}
                </Badge>{" "}
                <span className="text-xs text-slate-500">{c.reason}</span>
                {c.message && <p className="text-xs text-slate-600">{c.message}</p>}
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <Card title={t("members")}>
        <table className="w-full text-left text-sm" data-testid="members">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-4">{t("member.name")}</th>
              <th className="py-1 pr-4">{t("member.role")}</th>
              <th className="py-1 pr-4">{t("member.node")}</th>
              <th className="py-1 pr-4">{t("member.zone")}</th>
              <th className="py-1 pr-4">{t("member.ready")}</th>
              <th className="py-1 pr-4">{t("member.version")}</th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr key={m.name} className="border-t border-slate-100">
                <td className="py-1 pr-4 font-mono text-xs">{m.name}</td>
                <td className="py-1 pr-4">{m.role}</td>
                <td className="py-1 pr-4">{m.node ?? "—"}</td>
                <td className="py-1 pr-4">{m.zone ?? "—"}</td>
                <td className="py-1 pr-4">
                  <Badge tone={m.ready ? "green" : "amber"}>{m.ready ? t("yes") : t("no")}</Badge>
                  {!m.upToDate && <span className="ml-2 text-xs text-amber-700">{t("awaitingRestart")}</span>}
                </td>
                <td className="py-1 pr-4">{m.version ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t("events")}>
        <EventList events={data.events} />
      </Card>
      <Card title={t("requests")}>
        <RequestList initial={requests} url={`/api/requests?kind=${kind}&namespace=${namespace}&name=${name}`} queryKey={["requests", kind, namespace, name]} />
      </Card>
    </div>
  );
}
