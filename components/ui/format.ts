// Number and time formatting shared by server and client components.

export function bytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A duration in seconds as 45s, 12m, 5h, 3d. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 1) return `${seconds.toFixed(2)}s`;
  if (seconds < 120) return `${Math.round(seconds * 10) / 10}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

/** Seconds from `iso` to `now`. */
export function ageSeconds(iso: string | undefined, now: number = Date.now()): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, (now - t) / 1000) : undefined;
}

/** ISO timestamp shown as `YYYY-MM-DD HH:MM:SS` UTC (same on server and client: no hydration drift). */
export function timestamp(iso: string | Date | undefined | null): string {
  if (!iso) return "—";
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return Number.isFinite(d.getTime()) ? d.toISOString().replace("T", " ").slice(0, 19) : "—";
}
