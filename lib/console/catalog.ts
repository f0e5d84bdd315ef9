import type { KindForm } from "@/operators/kind";
import { kafkaForm } from "@/operators/kafka/form";
import { postgresForm } from "@/operators/postgres/form";
import { redisForm } from "@/operators/redis/form";

/**
 * The kinds the console offers, in catalog order: each kind's own form metadata from operators/.
 * Only the form modules are imported (not the controllers), so the browser bundle stays small;
 * catalog.test.ts checks this list against operators/kinds.ts, so a new kind is not forgotten here.
 */
export const CATALOG: readonly KindForm[] = [kafkaForm, redisForm, postgresForm];

/** The catalog entry of `kind` (by kind name or plural, case-insensitive). */
export function catalogKind(kind: string): KindForm | undefined {
  const k = kind.toLowerCase();
  return CATALOG.find((f) => f.kind.toLowerCase() === k || f.plural === k);
}
