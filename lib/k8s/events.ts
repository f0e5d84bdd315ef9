import { randomBytes } from "node:crypto";
import type { V1ObjectMeta, V1PersistentVolumeClaim, V1Pod } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { KubeClients } from "./client";
import { apiMessage } from "./errors";

/**
 * The object an event is about. Kind and apiVersion are explicit because objects from list
 * responses (and so from informer caches) come without them.
 */
export interface EventTarget {
  apiVersion: string;
  kind: string;
  metadata?: V1ObjectMeta;
}

/** Event targets for the core kinds events are most often about. */
export const podRef = (pod: V1Pod): EventTarget => ({ apiVersion: "v1", kind: "Pod", metadata: pod.metadata });
export const claimRef = (pvc: V1PersistentVolumeClaim): EventTarget => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: pvc.metadata });

/** An Event about one object, as `kubectl describe` shows it. */
export interface EventInput {
  type: "Normal" | "Warning";
  /** UpperCamelCase cause, e.g. ProvisioningFailed. */
  reason: string;
  message: string;
}

/**
 * Records Kubernetes Events for one component. The same reason and message on the same object
 * within `dedupeMs` is recorded once: a retrying controller must not flood the event stream.
 * Failures to record are logged, never thrown: an event is a courtesy, not part of the work.
 */
export class EventRecorder {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly clients: KubeClients,
    private readonly component: string,
    private readonly log: Logger,
    private readonly dedupeMs = 60_000,
  ) {}

  async record(obj: EventTarget, event: EventInput): Promise<void> {
    const meta = obj.metadata ?? {};
    const key = `${meta.uid}|${event.reason}|${event.message}`;
    const now = Date.now();
    if ((this.recent.get(key) ?? 0) > now - this.dedupeMs) return;
    this.recent.set(key, now);
    if (this.recent.size > 10_000) this.recent.clear();
    // Events about cluster-scoped objects live in "default", as the API server's own do.
    const namespace = meta.namespace ?? "default";
    const at = new Date();
    try {
      await this.clients.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { name: `${meta.name}.${randomBytes(8).toString("hex")}`, namespace },
          involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: meta.name, namespace: meta.namespace, uid: meta.uid },
          type: event.type,
          reason: event.reason,
          message: event.message,
          source: { component: this.component },
          reportingComponent: this.component,
          reportingInstance: this.component,
          firstTimestamp: at,
          lastTimestamp: at,
          count: 1,
        },
      });
    } catch (err) {
      this.log.warn({ err: apiMessage(err), reason: event.reason }, "could not record event");
    }
  }
}
