import path from "node:path";
import { DiscoveryV1Api } from "@kubernetes/client-node";
import { beforeAll, describe, expect, inject } from "vitest";
import { kubeClients, loadKubeConfig, mergePatch, type KubeClients } from "../../lib/k8s/client";
import { apiMessage } from "../../lib/k8s/errors";
import { readState } from "../../local-cluster/cluster";
import { kubeTest } from "../../test/kube";
import { eventsAbout, eventsOnceRecorded, waitGone } from "../../test/workloads";
import { PAAS_API_VERSION } from "../shared/labels";
import { watchPodChurn } from "../shared/pod-churn";
import { installOperatorCrds, killOperators, restartOperators } from "../test-operator";
import { createPostgres, patchPostgres, POSTGRES_API as api, postgresRunning as running, SMALL_POSTGRES as SMALL, waitForPostgres } from "./postgres-test-helpers";
import type { PostgresSpecInput } from "./test-fixtures";
import { POSTGRES_KIND } from "./types";

const secretData = async (kube: KubeClients, namespace: string, name: string) => (await kube.core.readNamespacedSecret({ name, namespace })).data ?? {};
const decode = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString("utf8");

describe("the PostgresCluster operator", () => {
  beforeAll(async () => {
    const kubeconfig = inject("kubeconfig");
    const state = readState(path.dirname(kubeconfig));
    if (!state) throw new Error(`no running local cluster for ${kubeconfig}`);
    await installOperatorCrds(kubeClients(loadKubeConfig(kubeconfig)));
    await restartOperators(state);
  });

  kubeTest("creates the primary, replicas, Services and a credentials Secret, all owned; Ready with the endpoints", async ({ kube, namespace }) => {
    const created = await createPostgres(kube, namespace, "db", { ...SMALL, replicas: 3, backup: { schedule: "@every 1h" } });
    const pg = await waitForPostgres(kube, namespace, "db", running, "Running");
    const owner = { apiVersion: PAAS_API_VERSION, kind: POSTGRES_KIND, name: "db", uid: created.metadata.uid, controller: true, blockOwnerDeletion: true };
    const objects = [
      await kube.core.readNamespacedConfigMap({ name: "db-config", namespace }),
      await kube.core.readNamespacedSecret({ name: "db-credentials", namespace }),
      await kube.core.readNamespacedService({ name: "db-headless", namespace }),
      await kube.core.readNamespacedService({ name: "db-primary", namespace }),
      await kube.core.readNamespacedService({ name: "db-replicas", namespace }),
      await kube.apps.readNamespacedStatefulSet({ name: "db-primary", namespace }),
      await kube.apps.readNamespacedStatefulSet({ name: "db-replica", namespace }),
      await kube.policy.readNamespacedPodDisruptionBudget({ name: "db-primary", namespace }),
      await kube.policy.readNamespacedPodDisruptionBudget({ name: "db-replica", namespace }),
    ];
    for (const o of objects) expect(o.metadata?.ownerReferences, o.metadata?.name).toEqual([owner]);

    const pods = (await kube.core.listNamespacedPod({ namespace })).items;
    expect(pods.map((p) => p.metadata?.name).sort()).toEqual(["db-primary-0", "db-replica-0", "db-replica-1"]);
    for (const p of pods) {
      expect(p.status?.phase).toBe("Running");
      expect(p.spec?.schedulerName).toBe("xlss-scheduler");
      expect(p.metadata?.annotations?.["backup.xlss.io/schedule"]).toBe("@every 1h");
      expect(p.metadata?.annotations?.["backup.xlss.io/pre-hook"]).toContain("CHECKPOINT");
    }
    // Each Service reaches its role's pods only.
    const endpointsOf = async (service: string) =>
      (await kube.kc.makeApiClient(DiscoveryV1Api).listNamespacedEndpointSlice({ namespace, labelSelector: `kubernetes.io/service-name=${service}` })).items
        .flatMap((s) => s.endpoints ?? [])
        .map((e) => e.targetRef?.name)
        .sort();
    await expect.poll(() => endpointsOf("db-primary")).toEqual(["db-primary-0"]);
    await expect.poll(() => endpointsOf("db-replicas")).toEqual(["db-replica-0", "db-replica-1"]);
    expect((await kube.core.listNamespacedPersistentVolumeClaim({ namespace })).items.map((c) => c.metadata?.name).sort()).toEqual([
      "data-db-primary-0",
      "data-db-replica-0",
      "data-db-replica-1",
    ]);

    expect(pg.status).toMatchObject({
      version: "17.5",
      replicas: 3,
      readyReplicas: 3,
      primary: `db-primary.${namespace}.svc:5432`,
      endpoints: { primary: `db-primary.${namespace}.svc:5432`, readOnly: `db-replicas.${namespace}.svc:5432` },
      credentialsSecret: "db-credentials",
    });
    expect(pg.status?.members?.map((m) => [m.name, m.role])).toEqual([
      ["db-replica-0", "replica"],
      ["db-replica-1", "replica"],
      ["db-primary-0", "primary"],
    ]);
    expect(pg.status?.members?.every((m) => m.ready && m.upToDate && m.node && m.zone)).toBe(true);

    // Generated passwords, distinct, and nowhere but in the Secret.
    const data = await secretData(kube, namespace, "db-credentials");
    const passwords = [decode(data["superuser-password"]), decode(data["replication-password"])];
    expect(passwords.every((p) => /^[A-Za-z0-9_-]{32}$/.test(p))).toBe(true);
    expect(passwords[0]).not.toBe(passwords[1]);
    // Created is recorded after the status says Running: wait for it, so that it is among the Events searched for passwords.
    const [event] = await eventsOnceRecorded(kube, namespace, "db", "Created");
    expect(event?.message).toBe(`3 servers ready, PostgreSQL 17.5; primary db-primary.${namespace}.svc:5432, read-only db-replicas.${namespace}.svc:5432`);
    const events = await eventsAbout(kube, namespace, "db");
    for (const text of [JSON.stringify(pg), JSON.stringify(events), JSON.stringify(objects[0])]) for (const p of passwords) expect(text).not.toContain(p);
  });

  kubeTest("restarts replicas first and the primary last on a config change and a minor update; the passwords stay", async ({ kube, namespace }) => {
    await createPostgres(kube, namespace, "db", { ...SMALL, replicas: 3, version: "16.6" });
    await waitForPostgres(kube, namespace, "db", running, "Running");
    const generated = await secretData(kube, namespace, "db-credentials");
    // A password the user chose is not overwritten either.
    await kube.core.patchNamespacedSecret({ name: "db-credentials", namespace, body: { stringData: { "superuser-password": "chosen-by-the-user" } } }, mergePatch);

    let churn = await watchPodChurn(kube, namespace);
    await patchPostgres(kube, namespace, "db", { config: { work_mem: "16MB", log_min_duration_statement: 500 } });
    await waitForPostgres(kube, namespace, "db", running, "Running after the change");
    await churn.stop();
    expect(churn.terminated).toEqual(["db-replica-1", "db-replica-0", "db-primary-0"]);
    expect(churn.maxDown).toBe(1);
    const conf = (await kube.core.readNamespacedConfigMap({ name: "db-config", namespace })).data?.["postgresql.conf"];
    expect(conf).toContain("log_min_duration_statement = '500'\nwork_mem = '16MB'\n");

    churn = await watchPodChurn(kube, namespace);
    await patchPostgres(kube, namespace, "db", { version: "16.9" });
    const pg = await waitForPostgres(kube, namespace, "db", (s) => running(s) && s.version === "16.9", "on 16.9");
    await churn.stop();
    expect(churn.terminated).toEqual(["db-replica-1", "db-replica-0", "db-primary-0"]);
    expect(churn.maxDown).toBe(1);
    expect(pg.status?.members?.every((m) => m.version === "16.9")).toBe(true);

    const kept = await secretData(kube, namespace, "db-credentials");
    expect(decode(kept["superuser-password"])).toBe("chosen-by-the-user");
    expect(kept["replication-password"]).toBe(generated["replication-password"]);
  });

  kubeTest("an operator started afresh (killed, nothing remembered) finds the Secret and keeps the passwords", async ({ kube, namespace, cluster }) => {
    await createPostgres(kube, namespace, "db", { ...SMALL, replicas: 1 });
    await waitForPostgres(kube, namespace, "db", running, "Running");
    const before = await secretData(kube, namespace, "db-credentials");
    await killOperators(cluster);
    await restartOperators(cluster);
    await patchPostgres(kube, namespace, "db", { config: { statement_timeout: "30s" } });
    await waitForPostgres(kube, namespace, "db", running, "Running after the change");
    expect(await secretData(kube, namespace, "db-credentials")).toEqual(before);
    expect((await eventsAbout(kube, namespace, "db", "CredentialsCreated")).length).toBe(1);
  });

  kubeTest("scales out and in through the scale subresource; removed replicas' claims follow whenScaled", async ({ kube, namespace }) => {
    await createPostgres(kube, namespace, "db", SMALL);
    await waitForPostgres(kube, namespace, "db", running, "Running");
    await kube.custom.patchNamespacedCustomObjectScale({ ...api, namespace, name: "db", body: { spec: { replicas: 4 } } }, mergePatch);
    await waitForPostgres(kube, namespace, "db", (s) => running(s) && s.readyReplicas === 4, "4 servers");
    expect((await kube.apps.readNamespacedStatefulSet({ name: "db-replica", namespace })).spec?.replicas).toBe(3);
    await kube.custom.patchNamespacedCustomObjectScale({ ...api, namespace, name: "db", body: { spec: { replicas: 1 } } }, mergePatch);
    await waitForPostgres(kube, namespace, "db", (s) => running(s) && s.replicas === 1, "1 server");
    for (const pod of ["db-replica-0", "db-replica-1", "db-replica-2"]) await waitGone(() => kube.core.readNamespacedPod({ name: pod, namespace }), pod);
    // whenScaled: Retain (the default) keeps the replicas' data for a later scale-out.
    expect((await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-db-replica-2", namespace })).status?.phase).toBe("Bound");
    expect((await kube.core.readNamespacedPod({ name: "db-primary-0", namespace })).status?.phase).toBe("Running");
  });

  kubeTest("deletes what it owns, keeping or deleting the claims as claimRetention says", async ({ kube, namespace }) => {
    const one: PostgresSpecInput = { ...SMALL, replicas: 1 };
    await createPostgres(kube, namespace, "kept", one);
    await createPostgres(kube, namespace, "dropped", { ...one, storage: { size: "1Gi", claimRetention: { whenDeleted: "Delete" } } });
    await waitForPostgres(kube, namespace, "kept", running, "Running");
    await waitForPostgres(kube, namespace, "dropped", running, "Running");
    for (const name of ["kept", "dropped"]) await kube.custom.deleteNamespacedCustomObject({ ...api, namespace, name });
    for (const name of ["kept", "dropped"]) {
      await waitGone(() => kube.apps.readNamespacedStatefulSet({ name: `${name}-primary`, namespace }), `StatefulSet ${name}-primary`);
      await waitGone(() => kube.apps.readNamespacedStatefulSet({ name: `${name}-replica`, namespace }), `StatefulSet ${name}-replica`);
      await waitGone(() => kube.core.readNamespacedService({ name: `${name}-primary`, namespace }), `Service ${name}-primary`);
      await waitGone(() => kube.core.readNamespacedConfigMap({ name: `${name}-config`, namespace }), `ConfigMap ${name}-config`);
      await waitGone(() => kube.core.readNamespacedSecret({ name: `${name}-credentials`, namespace }), `Secret ${name}-credentials`);
    }
    await waitGone(() => kube.core.readNamespacedPersistentVolumeClaim({ name: "data-dropped-primary-0", namespace }), "claim data-dropped-primary-0");
    expect((await kube.core.readNamespacedPersistentVolumeClaim({ name: "data-kept-primary-0", namespace })).status?.phase).toBe("Bound");
  });

  kubeTest("rejects invalid specs with messages that say what is wrong", async ({ kube, namespace }) => {
    const invalid: [string, PostgresSpecInput, string][] = [
      ["an unknown setting", { config: { shared_bufers: "1GB" } }, "unknown PostgreSQL setting shared_bufers (the supported settings are listed in docs/operators.md)"],
      ["a setting the operator manages", { config: { primary_conninfo: "host=elsewhere" } }, "spec.config cannot set primary_conninfo: the operator sets it from the operator (the primary Service)"],
      ["a size in the wrong case", { config: { work_mem: "4gb" } }, "invalid value of work_mem: expected a size such as 512MB, 4GB or a number in the setting's unit"],
      ["wal_level minimal", { config: { wal_level: "minimal" } }, "invalid value of wal_level: expected one of replica, logical"],
      ["a boolean as on", { config: { jit: "on" } }, "invalid value of jit: expected true or false"],
      ["too few WAL senders", { replicas: 3, config: { max_wal_senders: 3 } }, "config max_wal_senders must be at least spec.replicas + 1"],
      ["no connection left for clients", { config: { max_connections: 3 } }, "config superuser_reserved_connections must be less than max_connections"],
      ["ten servers", { replicas: 10 }, "spec.replicas: Invalid value: 10: spec.replicas in body should be less than or equal to 9"],
      ["an unknown version", { version: "14.0" as never }, 'spec.version: Unsupported value: "14.0"'],
      ["a tiny volume", { storage: { size: "100Mi" } }, "size must be a quantity of at least 1Gi, such as 10Gi"],
      ["limits below requests", { resources: { requests: { memory: "2Gi" }, limits: { memory: "1Gi" } } }, "limits.memory must be at least requests.memory"],
      ["a five-second backup", { backup: { schedule: "@every 5s" } }, "schedule must be '@every <n><s|m|h|d>' of at least 10s"],
    ];
    const problems: string[] = [];
    for (const [what, spec, message] of invalid) {
      try {
        await createPostgres(kube, namespace, "bad", spec);
        problems.push(`${what}: accepted`);
      } catch (err) {
        if (!apiMessage(err).includes(message)) problems.push(`${what}: ${apiMessage(err)}`);
      }
    }
    expect(problems).toEqual([]);

    await createPostgres(kube, namespace, "db", { ...SMALL, version: "16.9" });
    const refused = async (spec: PostgresSpecInput) => {
      try {
        await patchPostgres(kube, namespace, "db", spec);
        return "accepted";
      } catch (err) {
        return apiMessage(err);
      }
    };
    expect(await refused({ version: "17.5" })).toContain("changing PostgreSQL from 16.9 to 17.5 is a major upgrade, which needs pg_upgrade: the operator does not run it yet");
    expect(await refused({ version: "16.6" })).toContain("downgrading PostgreSQL from 16.9 to 16.6 is not supported");
    expect(await refused({ storage: { size: "512Mi" } })).toContain("spec.storage.size cannot shrink: 1Gi → 512Mi; volumes can only grow");
    expect(await refused({ storage: { class: "xlss-local-retain" } })).toContain("spec.storage.class cannot be changed after creation (xlss-local → xlss-local-retain)");
  });
});
