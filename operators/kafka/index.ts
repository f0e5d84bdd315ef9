import type { MiddlewareKind } from "../kind";
import { setupKindController } from "../shared/kind-controller";
import { kafkaForm } from "./form";
import { kafkaReconciler, type KafkaOptions } from "./reconciler";
import { KAFKA_APP } from "./topology";
import { KAFKA_KIND, KAFKA_PLURAL, type KafkaCluster } from "./types";

/** The KafkaCluster kind: its console form and its controller. */
export function kafkaKind(options: KafkaOptions): MiddlewareKind {
  return {
    form: kafkaForm,
    setupWithManager: (ctx) =>
      setupKindController<KafkaCluster>(ctx, {
        name: "kafkacluster",
        plural: KAFKA_PLURAL,
        kind: KAFKA_KIND,
        app: KAFKA_APP,
        reconciler: (kafkas) => kafkaReconciler({ clients: ctx.clients, kafkas, owned: ctx.owned, applier: ctx.applier, events: ctx.events, options }),
      }),
  };
}
