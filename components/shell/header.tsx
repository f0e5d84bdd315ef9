import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Role } from "@/db/schema";
import { currentPrincipal } from "@/lib/auth/guard";
import { hasRole } from "@/lib/auth/principal";
import { LocaleSwitcher } from "./locale-switcher";
import { SignOutButton } from "./sign-out-button";

const NAV: { href: string; key: string; role: Role }[] = [
  { href: "/clusters", key: "clusters", role: "member" },
  { href: "/catalog", key: "catalog", role: "member" },
  { href: "/requests", key: "requests", role: "member" },
  { href: "/approvals", key: "approvals", role: "approver" },
  { href: "/storage", key: "storage", role: "member" },
  { href: "/backups", key: "backups", role: "member" },
  { href: "/failovers", key: "failovers", role: "member" },
  { href: "/nodes", key: "nodes", role: "member" },
  { href: "/audit", key: "audit", role: "member" },
  { href: "/admin", key: "admin", role: "admin" },
];

export async function Header() {
  const [principal, t] = await Promise.all([currentPrincipal(), getTranslations("nav")]);
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl items-center gap-6 px-6 py-3">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          XLSS <span className="text-sky-600">PaaS</span>
        </Link>
        <nav className="flex flex-1 flex-wrap gap-4 text-sm text-slate-600">
          {principal &&
            NAV.filter((n) => hasRole(principal, n.role)).map((n) => (
              <Link key={n.href} href={n.href} className="hover:text-slate-900">
                {t(n.key)}
              </Link>
            ))}
        </nav>
        <LocaleSwitcher />
        {principal && (
          <div className="flex items-center gap-3 text-sm">
            <span data-testid="whoami" className="text-slate-600">
              {principal.displayName} <span className="text-xs text-slate-400">({t(`role.${principal.role}`)})</span>
            </span>
            <SignOutButton label={t("signOut")} />
          </div>
        )}
      </div>
    </header>
  );
}
