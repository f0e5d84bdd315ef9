import type { MiddlewareKind } from "../kind";
import { setupKindController } from "../shared/kind-controller";
import { postgresForm } from "./form";
import { postgresReconciler, type PostgresOptions } from "./reconciler";
import { POSTGRES_APP } from "./topology";
import { POSTGRES_KIND, POSTGRES_PLURAL, type PostgresCluster } from "./types";

/** The PostgresCluster kind: its console form and its controller. */
export function postgresKind(options: PostgresOptions): MiddlewareKind {
  return {
    form: postgresForm,
    setupWithManager: (ctx) =>
      setupKindController<PostgresCluster>(ctx, {
        name: "postgrescluster",
        plural: POSTGRES_PLURAL,
        kind: POSTGRES_KIND,
        app: POSTGRES_APP,
        reconciler: (postgreses) => postgresReconciler({ clients: ctx.clients, postgreses, owned: ctx.owned, applier: ctx.applier, events: ctx.events, options }),
      }),
  };
}
