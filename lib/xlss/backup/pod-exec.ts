import { Writable } from "node:stream";
import { Exec, type KubeConfig, type V1Status } from "@kubernetes/client-node";

/** How a command run in a container ended; only tails of its output are kept. */
export interface ExecResult {
  exitCode: number;
  /** The last `tailBytes` of its standard error. */
  stderrTail: string;
}

/** The command could not be run, or did not finish: no exit code to report. */
export class PodExecError extends Error {
  override name = "PodExecError";
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

export interface ExecOptions {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  timeoutMs: number;
  /** Bytes of standard error kept for the report. Default 2048. */
  tailBytes?: number;
  signal?: AbortSignal;
}

// The v5 streaming protocol's close signal: a control frame, not a stream of output.
const CLOSE_STREAM = 255;

/**
 * Runs `command` in a container through the API server's `pods/exec` (a websocket, client-node's
 * `Exec`), the way `kubectl exec` does: no shell, no stdin, no TTY. Resolves with the exit code
 * (non-zero is a result, not an error); rejects with a PodExecError when the command could not be
 * started, the connection broke, or `timeoutMs` passed — then the websocket is closed, which does
 * not stop the command in the container (neither the kubelet nor KWOK kills it).
 */
export async function execInPod(kc: KubeConfig, opts: ExecOptions): Promise<ExecResult> {
  const where = `${opts.namespace}/${opts.pod} container ${opts.container}`;
  const stderr = new TailBuffer(opts.tailBytes ?? 2048);
  const exec = new Exec(kc);
  const handler = exec.handler;
  // A close signal (v5 protocol) is not a data stream; client-node 1.4 would throw "Unknown stream" on it.
  exec.handler = {
    connect: (path, text, binary) => handler.connect(path, text, binary && ((stream, buff) => stream === CLOSE_STREAM || binary(stream, buff))),
  };

  let settle!: (status: V1Status | Error) => void;
  const ended = new Promise<V1Status | Error>((resolve) => (settle = resolve));
  let ws: Awaited<ReturnType<Exec["exec"]>>;
  try {
    ws = await exec.exec(opts.namespace, opts.pod, opts.container, opts.command, null, stderr, null, false, (status) => settle(status));
  } catch (err) {
    throw new PodExecError(`exec into ${where} refused: ${handshakeMessage(err)}`);
  }
  ws.on("close", () => settle(new PodExecError(`exec into ${where}: the connection closed before the command finished`)));
  const timer = setTimeout(() => settle(new PodExecError(`did not finish within ${opts.timeoutMs / 1000}s`, true)), opts.timeoutMs);
  const onAbort = () => settle(new PodExecError("cancelled: the agent is stopping"));
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const outcome = await ended;
  clearTimeout(timer);
  opts.signal?.removeEventListener("abort", onAbort);
  ws.close();
  if (outcome instanceof Error) throw outcome;
  const exitCode = exitCodeOf(outcome);
  if (exitCode === undefined) {
    throw new PodExecError(`exec into ${where} failed: ${scrub(outcome.message ?? outcome.reason ?? "unknown error", opts.command)}`);
  }
  return { exitCode, stderrTail: stderr.text() };
}

/**
 * The exit code in the status the server sends on channel 3: `Success` is 0; a kubelet reports a
 * non-zero code as reason NonZeroExitCode with an ExitCode cause. KWOK v0.8 wraps the process's
 * error before handing it back, so the kubelet library cannot recognise it and reports an internal
 * error "… exit status N" instead; that form is read too. Anything else is not an exit.
 */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  if (status.reason === "NonZeroExitCode" && cause?.message && /^\d+$/.test(cause.message)) return Number(cause.message);
  const kwok = /: exit status (\d+)$/.exec(status.message ?? "");
  return kwok ? Number(kwok[1]) : undefined;
}

/** Removes the command line from a server message (KWOK quotes it; it may carry credentials). */
export function scrub(message: string, command: string[]): string {
  const line = command.join(" ");
  return line ? message.split(line).join("<command>") : message;
}

/** The websocket library reports a refused upgrade as "Unexpected server response: N"; say what N usually means. */
function handshakeMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === "object" && err && "message" in err ? String(err.message) : String(err);
  const code = /Unexpected server response: (\d+)/.exec(text)?.[1];
  const hint: Record<string, string> = {
    "400": "the pod is not running or has no such container",
    "403": "forbidden: the agent needs RBAC create and get on pods/exec",
    "404": "the pod is gone",
    "500": "the API server could not reach the node's kubelet",
  };
  return code && hint[code] ? `HTTP ${code}: ${hint[code]}` : text;
}

/** A writable that keeps only the last `limit` bytes written to it. */
class TailBuffer extends Writable {
  private buf = Buffer.alloc(0);
  constructor(private readonly limit: number) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.buf.length > this.limit) this.buf = this.buf.subarray(this.buf.length - this.limit);
    done();
  }
  text(): string {
    return this.buf.toString("utf8");
  }
}
