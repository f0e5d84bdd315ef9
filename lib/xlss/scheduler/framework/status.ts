import { apiMessage } from "../../../k8s/errors";

/**
 * The outcome of one plugin call, as kube-scheduler's framework has it. `undefined` (no status)
 * means Success everywhere a Status is returned.
 */
export enum Code {
  Success = "Success",
  /** An internal error: the attempt is retried with backoff. */
  Error = "Error",
  /** The pod does not fit this node now; something in the cluster may change that. */
  Unschedulable = "Unschedulable",
  /** The pod cannot fit this node however the cluster changes (e.g. a node selector mismatch). */
  UnschedulableAndUnresolvable = "UnschedulableAndUnresolvable",
  /** A Permit plugin holds the pod until it is allowed, rejected, or its timeout passes. */
  Wait = "Wait",
  /**
   * The plugin does not apply to this pod: a PreFilter or PreScore that says so is not asked to
   * Filter or Score it; a Bind plugin that says so leaves the binding to the next one.
   */
  Skip = "Skip",
}

export class Status {
  constructor(
    readonly code: Code,
    /** Short reasons, aggregated across nodes into the FailedScheduling message ("Insufficient cpu"). */
    readonly reasons: string[] = [],
    /** The plugin that returned it; set by the framework. */
    public plugin = "",
    /** The thrown error behind an Error status, so callers can tell e.g. an API conflict apart. */
    readonly cause?: unknown,
  ) {}

  static error(message: string): Status {
    return new Status(Code.Error, [message]);
  }
  /** An Error status for something a plugin threw (kube-scheduler's AsStatus), worded as the API server words it. */
  static fromError(err: unknown): Status {
    return new Status(Code.Error, [apiMessage(err)], "", err);
  }
  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  static skip(): Status {
    return new Status(Code.Skip);
  }
  static wait(): Status {
    return new Status(Code.Wait);
  }

  get message(): string {
    return this.reasons.join(", ");
  }
}

export type MaybeStatus = Status | undefined;

/** True for no status or Success. */
export const isSuccess = (s: MaybeStatus): boolean => s === undefined || s.code === Code.Success;
/** True for the two "does not fit" codes. */
export const isRejection = (s: MaybeStatus): boolean =>
  s !== undefined && (s.code === Code.Unschedulable || s.code === Code.UnschedulableAndUnresolvable);
