import type { Logger } from "pino";
import type { KubeClients } from "../lib/k8s/client";
import type { EventRecorder } from "../lib/k8s/events";
import type { Manager } from "../lib/k8s/manager";
import type { ChildApplier } from "./shared/child-applier";
import type { ManagedInformers } from "./shared/informers";
import type { SettingKind } from "./shared/settings";

/** How the console draws one field of a kind's request form. */
export type FormFieldType =
  | "text"
  | "integer"
  | "boolean"
  /** One of `options`. */
  | "select"
  /** A Kubernetes quantity (500m, 4Gi). */
  | "quantity"
  /** A map of setting → value, with `settings` describing the accepted keys. */
  | "settings";

export interface FormField {
  /** Where the value goes in the resource, dotted (spec.storage.size). */
  path: string;
  label: string;
  help: string;
  type: FormFieldType;
  /** What the API server fills in when the field is left out. */
  default?: string | number | boolean;
  options?: readonly (string | number)[];
  min?: number;
  max?: number;
  required?: boolean;
  /** Fixed once the resource exists; the form shows it read-only when editing. */
  immutable?: boolean;
  /** Shown under "advanced" (the defaults suit most requests). */
  advanced?: boolean;
  /**
   * For `settings`: the accepted keys with their help and the form of their values, in English
   * (`expected`, as the API server's messages word it) and structured (`kind`, which the console
   * words in the interface's language).
   */
  settings?: Readonly<Record<string, { help: string; expected: string; kind: SettingKind }>>;
}

/** What the console needs to offer a kind in its catalog and draw its request form. */
export interface KindForm {
  kind: string;
  apiVersion: string;
  plural: string;
  /** Catalog title, e.g. "Kafka". */
  title: string;
  description: string;
  fields: readonly FormField[];
}

/** What every kind's controller gets from operators/main.ts. */
export interface OperatorContext {
  manager: Manager;
  clients: KubeClients;
  log: Logger;
  owned: ManagedInformers;
  applier: ChildApplier;
  events: EventRecorder;
  /** Reconciles per kind at once. */
  concurrency: number;
}

/**
 * One middleware kind: its console form and the setup of its controller. Adding a kind is adding a
 * folder under operators/ with its CRD, types, reconcile and form, and listing it in kinds.ts.
 */
export interface MiddlewareKind {
  form: KindForm;
  setupWithManager(ctx: OperatorContext): void;
}
