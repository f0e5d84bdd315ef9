export function ErrorAlert({ title, message, testId }: { title: string; message?: string; testId?: string }) {
  return (
    <div role="alert" data-testid={testId} className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p className="font-medium">{title}</p>
      {message && <p className="mt-1 whitespace-pre-wrap font-mono text-xs">{message}</p>}
    </div>
  );
}

export function Notice({ children, tone = "amber" }: { children: React.ReactNode; tone?: "amber" | "sky" }) {
  const style = tone === "amber" ? "border-amber-200 bg-amber-50 text-amber-900" : "border-sky-200 bg-sky-50 text-sky-900";
  return <div className={`rounded-md border p-3 text-sm ${style}`}>{children}</div>;
}
