import { randomBytes } from "node:crypto";
import type { V1Secret } from "@kubernetes/client-node";
import type { KubeClients } from "../../lib/k8s/client";
import { isConflict } from "../../lib/k8s/errors";
import { objectLabels, ownerReference } from "../shared/labels";
import { CREDENTIAL_KEYS, POSTGRES_APP, postgresNames, REPLICATION_USER, SUPERUSER } from "./topology";
import { POSTGRES_KIND, type PostgresCluster } from "./types";

/** A new password: 32 characters of base64url (192 random bits), safe in SQL quotes, a password file and a URL. */
export const newPassword = (): string => randomBytes(24).toString("base64url");

/**
 * The credentials Secret of a new cluster, with freshly generated passwords. Owned by the cluster
 * (deleted with it), and labelled like its other objects.
 */
export function credentialsSecret(pg: PostgresCluster): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: {
      name: postgresNames(pg.metadata.name).credentials,
      namespace: pg.metadata.namespace,
      labels: objectLabels(POSTGRES_APP, pg.metadata.name),
      ownerReferences: [ownerReference({ kind: POSTGRES_KIND, metadata: pg.metadata })],
    },
    stringData: {
      "superuser-username": SUPERUSER,
      [CREDENTIAL_KEYS.superuserPassword]: newPassword(),
      "replication-username": REPLICATION_USER,
      [CREDENTIAL_KEYS.replicationPassword]: newPassword(),
    },
  };
}

/**
 * Makes sure each cluster's credentials Secret exists, generating its passwords only when it does
 * not: a create that the API server refuses as AlreadyExists leaves the existing Secret untouched,
 * so passwords are never overwritten — and the operator needs only `create` on Secrets, never read
 * access to any Secret's content. A Secret that exists (a user's own, created before the cluster,
 * included) is used as it is. A cluster whose Secret was found is remembered (its uid by
 * namespace/name) so that reconciles do not keep asking; the memory is rebuilt by one create per
 * cluster after a restart, and `recheck` (a cluster with members not ready, e.g. waiting for a
 * deleted Secret) asks again.
 */
export class CredentialsKeeper {
  private readonly ensured = new Map<string, string>();

  constructor(private readonly clients: KubeClients) {}

  /** Creates the Secret unless it exists; returns whether this call created it. */
  async ensure(pg: PostgresCluster, recheck: boolean): Promise<boolean> {
    const key = `${pg.metadata.namespace}/${pg.metadata.name}`;
    const uid = pg.metadata.uid ?? "";
    if (this.ensured.get(key) === uid && !recheck) return false;
    let created = true;
    try {
      await this.clients.core.createNamespacedSecret({ namespace: pg.metadata.namespace, body: credentialsSecret(pg) });
    } catch (err) {
      if (!isConflict(err)) throw err;
      created = false;
    }
    this.ensured.set(key, uid);
    return created;
  }

  /** Forgets a cluster that is gone. */
  forget(namespace: string, name: string): void {
    this.ensured.delete(`${namespace}/${name}`);
  }
}
