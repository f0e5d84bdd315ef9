"use client";

import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";

/** The console API's error body: `{ error: { code, message, details } }`. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ConsoleApiError(res.status, e?.code ?? "http", e?.message ?? `HTTP ${res.status}`, e?.details);
  }
  return body as T;
}

export const getJson = <T>(url: string) => fetch(url, { headers: { accept: "application/json" } }).then((r) => parse<T>(r));

/** JSON request to a console route (same origin: the browser sends Origin, which the guard checks). */
export const sendJson = <T>(url: string, method: "POST" | "PUT" | "DELETE", body?: unknown) =>
  fetch(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => parse<T>(r));

/**
 * Live data: the server-rendered `initial` value, then polled from `url` every `intervalMs` (3 s)
 * while the page is visible — react-query polling, as the issue allows instead of server-sent events.
 */
export function useLive<T extends object>(key: QueryKey, url: string, initial: T, intervalMs = 3000) {
  return useQuery({ queryKey: key, queryFn: () => getJson<T>(url), initialData: initial, refetchInterval: intervalMs });
}

/** A mutation that refreshes `invalidate` when it succeeds. */
export function useAction<TInput, TResult>(run: (input: TInput) => Promise<TResult>, invalidate: QueryKey[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => Promise.all(invalidate.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
