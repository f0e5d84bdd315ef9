import type { MiddlewareKind } from "./kind";
import { kafkaKind, type KafkaKindOptions } from "./kafka";

/** Settings of every kind, from operators/main.ts flags. */
export interface KindOptions {
  kafka: KafkaKindOptions;
}

/** Every middleware kind the operators run, in catalog order. */
export function middlewareKinds(options: KindOptions): MiddlewareKind[] {
  return [kafkaKind(options.kafka)];
}
