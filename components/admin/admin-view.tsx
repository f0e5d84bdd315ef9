"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/page-header";
import { sendJson, useAction, useLive } from "@/components/live";
import type { AdminOverview } from "@/lib/console/admin";

const ROLES = ["member", "approver", "admin"] as const;
const input = "rounded-md border border-slate-300 px-2 py-1 text-sm";

export function AdminView({ initial }: { initial: AdminOverview }) {
  const t = useTranslations("admin");
  const roleName = useTranslations("nav.role");
  const { data } = useLive(["admin"], "/api/admin/users", initial, 10_000);
  const [user, setUser] = useState({ username: "", password: "", role: "member", team: "" });
  const [team, setTeam] = useState({ name: "", namespaces: "", members: "" });
  const addUser = useAction(() => sendJson("/api/admin/users", "POST", { ...user, team: user.team || undefined }), [["admin"]]);
  const setRole = useAction((v: { username: string; role: string }) => sendJson("/api/admin/users", "PUT", v), [["admin"]]);
  const saveTeam = useAction(() => sendJson("/api/admin/teams", "POST", team), [["admin"]]);
  const error = addUser.error ?? setRole.error ?? saveTeam.error;
  return (
    <div className="space-y-6">
      {error && <ErrorAlert title={t("title")} message={error.message} />}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("users")}>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-2">{t("col.user")}</th>
                <th className="py-1 pr-2">{t("col.role")}</th>
                <th className="py-1 pr-2">{t("col.teams")}</th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <tr key={u.username} className="border-t border-slate-100">
                  <td className="py-1 pr-2">
                    {u.username} {u.sso && <Badge>SSO</Badge>} {u.disabled && <Badge tone="red">{t("disabled")}</Badge>}
                  </td>
                  <td className="py-1 pr-2">
                    <select aria-label={t("setRole")} className={input} value={u.role} onChange={(e) => setRole.mutate({ username: u.username, role: e.target.value })}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {roleName(r)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="py-1 pr-2 text-xs">{u.teams.join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form className="mt-4 flex flex-wrap gap-2" onSubmit={(e) => { e.preventDefault(); addUser.mutate(undefined); }}>
            <input aria-label={t("username")} placeholder={t("username")} className={input} value={user.username} onChange={(e) => setUser({ ...user, username: e.target.value })} />
            <input aria-label={t("password")} placeholder={t("password")} type="password" className={input} value={user.password} onChange={(e) => setUser({ ...user, password: e.target.value })} />
            <select aria-label={t("role")} className={input} value={user.role} onChange={(e) => setUser({ ...user, role: e.target.value })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleName(r)}
                </option>
              ))}
            </select>
            <input aria-label={t("team")} placeholder={t("team")} className={input} value={user.team} onChange={(e) => setUser({ ...user, team: e.target.value })} />
            <Button type="submit" disabled={addUser.isPending}>
              {t("addUser")}
            </Button>
          </form>
        </Card>
        <Card title={t("teams")}>
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-2">{t("teamName")}</th>
                <th className="py-1 pr-2">{t("col.namespaces")}</th>
                <th className="py-1 pr-2">{t("col.members")}</th>
              </tr>
            </thead>
            <tbody>
              {data.teams.map((tm) => (
                <tr key={tm.name} className="border-t border-slate-100">
                  <td className="py-1 pr-2 font-medium">{tm.name}</td>
                  <td className="py-1 pr-2 font-mono text-xs">{tm.namespaces.join(", ") || "—"}</td>
                  <td className="py-1 pr-2 text-xs">{tm.members.join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <form className="mt-4 flex flex-wrap gap-2" onSubmit={(e) => { e.preventDefault(); saveTeam.mutate(undefined); }}>
            <input aria-label={t("teamName")} placeholder={t("teamName")} className={input} value={team.name} onChange={(e) => setTeam({ ...team, name: e.target.value })} />
            <input aria-label={t("namespaces")} placeholder={t("namespaces")} className={input} value={team.namespaces} onChange={(e) => setTeam({ ...team, namespaces: e.target.value })} />
            <input aria-label={t("members")} placeholder={t("members")} className={input} value={team.members} onChange={(e) => setTeam({ ...team, members: e.target.value })} />
            <Button type="submit" disabled={saveTeam.isPending}>
              {t("save")}
            </Button>
          </form>
        </Card>
      </div>
    </div>
  );
}
