import type { MiddlewareKind } from "./kind";
import { kafkaKind } from "./kafka";
import type { KafkaOptions } from "./kafka/reconciler";
import { postgresKind } from "./postgres";
import type { PostgresOptions } from "./postgres/reconciler";
import { redisKind } from "./redis";
import type { RedisOptions } from "./redis/reconciler";

/** Settings of every kind, from operators/main.ts flags. */
export interface KindOptions {
  kafka: KafkaOptions;
  redis: RedisOptions;
  postgres: PostgresOptions;
}

/** Every middleware kind the operators run, in catalog order. */
export function middlewareKinds(options: KindOptions): MiddlewareKind[] {
  return [kafkaKind(options.kafka), redisKind(options.redis), postgresKind(options.postgres)];
}
