import type { KafkaReplication } from "./types";

/**
 * Why scaling the brokers in from `current` to `desired` is refused, or undefined when it is not.
 * The API server already refuses a spec whose own replication factor exceeds its brokers; this
 * checks against the settings the running brokers were rolled out with (`inEffect`), because the
 * topics created under them keep that many replicas: lowering spec.replication.factor together
 * with spec.replicas would leave partitions without room for their replicas.
 */
export function scaleInRefusal(current: number, desired: number, inEffect: KafkaReplication, requested: KafkaReplication): string | undefined {
  if (desired >= current) return undefined;
  const factor = Math.max(inEffect.factor, requested.factor);
  const minInSync = Math.max(inEffect.minInSync, requested.minInSync);
  if (desired >= factor && desired >= minInSync) return undefined;
  return (
    `scale-in from ${current} to ${desired} brokers refused: the brokers run with default.replication.factor=${inEffect.factor} ` +
    `and min.insync.replicas=${inEffect.minInSync} (the internal topics too), so partitions with ${factor} replicas would lose some. ` +
    `Lower spec.replication first and let that roll out, move the partitions off brokers ${desired}..${current - 1} ` +
    `(kafka-reassign-partitions.sh), then scale in; ${current} brokers keep running meanwhile`
  );
}
