const TONES = {
  green: "bg-emerald-100 text-emerald-800",
  amber: "bg-amber-100 text-amber-800",
  red: "bg-red-100 text-red-800",
  sky: "bg-sky-100 text-sky-800",
  slate: "bg-slate-100 text-slate-700",
} as const;
export type Tone = keyof typeof TONES;

export function Badge({ tone = "slate", children, testId }: { tone?: Tone; children: React.ReactNode; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-flex items-center rounded px-2 py-0.5 text-xs font-medium ${TONES[tone]}`}>
      {children}
    </span>
  );
}

/** The tone of a phase or status word, one mapping for every resource. */
export function phaseTone(phase: string | undefined): Tone {
  switch (phase) {
    case "Ready":
    case "Running":
    case "Completed":
    case "applied":
    case "approved":
    case "True":
      return "green";
    case "Pending":
    case "Creating":
    case "Updating":
    case "Rescheduling":
    case "Restoring":
    case "Starting":
    case "pending":
      return "sky";
    case "WaitingForBackup":
    case "Quarantined":
    case "Degraded":
    case "Deleting":
      return "amber";
    case "Failed":
    case "failed":
    case "rejected":
    case "False":
      return "red";
    default:
      return "slate";
  }
}
