import type { MiddlewareKind } from "../kind";
import { setupKindController } from "../shared/kind-controller";
import { redisForm } from "./form";
import { redisReconciler, type RedisOptions } from "./reconciler";
import { REDIS_APP } from "./topology";
import { REDIS_KIND, REDIS_PLURAL, type RedisCluster } from "./types";

/** The RedisCluster kind: its console form and its controller. */
export function redisKind(options: RedisOptions): MiddlewareKind {
  return {
    form: redisForm,
    setupWithManager: (ctx) =>
      setupKindController<RedisCluster>(ctx, {
        name: "rediscluster",
        plural: REDIS_PLURAL,
        kind: REDIS_KIND,
        app: REDIS_APP,
        reconciler: (redises) => redisReconciler({ clients: ctx.clients, redises, owned: ctx.owned, applier: ctx.applier, events: ctx.events, options }),
      }),
  };
}
