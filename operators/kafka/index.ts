import type { KubernetesObject } from "@kubernetes/client-node";
import { Controller, type Request } from "../../lib/k8s/controller";
import { Informer } from "../../lib/k8s/informer";
import type { MiddlewareKind, OperatorContext } from "../kind";
import { controllerOf, LABELS, PAAS_GROUP, PAAS_VERSION } from "../shared/labels";
import { kafkaForm } from "./form";
import { kafkaReconciler } from "./reconciler";
import { KAFKA_APP } from "./topology";
import { KAFKA_KIND, KAFKA_PLURAL, type KafkaCluster } from "./types";

/** Settings of the Kafka kind, from operators/main.ts flags. */
export interface KafkaKindOptions {
  image: string;
  startupGraceMs: number;
}

/** The KafkaCluster kind: its console form and its controller. */
export function kafkaKind(options: KafkaKindOptions): MiddlewareKind {
  return {
    form: kafkaForm,
    setupWithManager(ctx: OperatorContext) {
      const { clients, manager, owned } = ctx;
      const kafkas = manager.addInformer(
        new Informer<KafkaCluster>(
          clients.kc,
          {
            path: `/apis/${PAAS_GROUP}/${PAAS_VERSION}/${KAFKA_PLURAL}`,
            list: async (s) =>
              (await clients.custom.listClusterCustomObject({ group: PAAS_GROUP, version: PAAS_VERSION, plural: KAFKA_PLURAL, ...s })) as {
                items: KafkaCluster[];
              },
          },
          ctx.log,
        ),
      );
      const owner = (obj: KubernetesObject): Request[] => {
        const ref = controllerOf(obj, KAFKA_KIND);
        return ref ? [ref] : [];
      };
      // Pods are owned by their StatefulSet; their labels name the cluster.
      const podOwner = (obj: KubernetesObject): Request[] => {
        const labels = obj.metadata?.labels ?? {};
        const instance = labels[LABELS.instance];
        return labels[LABELS.name] === KAFKA_APP && instance && obj.metadata?.namespace ? [{ namespace: obj.metadata.namespace, name: instance }] : [];
      };
      manager.addController(
        new Controller({
          name: "kafkacluster",
          concurrency: ctx.concurrency,
          log: ctx.log,
          reconcile: kafkaReconciler({ clients, kafkas, owned, applier: ctx.applier, events: ctx.events, options }),
        })
          .for(kafkas)
          .watches(owned.statefulSets, owner)
          .watches(owned.services, owner)
          .watches(owned.configMaps, owner)
          .watches(owned.budgets, owner)
          .watches(owned.pods, podOwner),
      );
    },
  };
}
