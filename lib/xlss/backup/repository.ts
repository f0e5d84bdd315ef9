import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { KubeClients } from "../../k8s/client";
import { isConflict, isNotFound } from "../../k8s/errors";
import { sleep } from "../../k8s/sleep";
import { microTime } from "../../k8s/time";
import { heartbeatExpiresAt } from "../api/heartbeat";
import { BACKUP_SECRET, SYSTEM_NAMESPACE } from "../api/types";
import { Restic, ResticError } from "./restic";

/**
 * The backup target, from the Secret `xlss-system/xlss-backup`:
 * - `repository`: base location, a path (`/mnt/xlss-backups`, NFS in production) or `s3:https://…/bucket`;
 * - `password`: the restic repository password (one per installation; every repository is encrypted with it);
 * - optional `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION` for S3.
 *
 * Granularity: one restic repository per namespace (`<base>/<namespace>`). A tenant's backups are
 * then separate from every other tenant's (deleting a team deletes one folder or prefix), `prune` and
 * `check` lock one namespace's repository instead of everybody's, and deduplication — which works
 * within a repository — still covers the volumes of one application, where the duplicates are.
 */
export class BackupRepositories {
  /** Repositories known to exist, with stale locks cleared since this agent started. */
  private readonly ready = new Set<string>();
  private passwordDigest = "";

  constructor(
    private readonly clients: KubeClients,
    /** A private folder (0700) of the agent for the password file and restic's cache. */
    private readonly stateDir: string,
    /** Who holds the init lock (the node name). */
    private readonly identity: string,
  ) {
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  }

  /**
   * The restic of `namespace`'s repository, created when missing. The Secret is read on every call so
   * a rotated password or moved target takes effect at the next run. On first use per agent start the
   * repository is checked (created if missing) and stale locks are removed (left by a restic that
   * died with a killed agent).
   */
  async forNamespace(namespace: string): Promise<{ restic: Restic; repository: string }> {
    const secret = await this.readSecret();
    const base = secret.repository.replace(/\/+$/, "");
    if (!base.startsWith("s3:") && !fs.existsSync(base)) {
      throw new ResticError(`backup target ${base} does not exist (is the backup volume mounted?)`, "no-repository", "");
    }
    const repository = `${base}/${namespace}`;
    const passwordFile = path.join(this.stateDir, "restic-password");
    const digest = createHash("sha256").update(secret.password).digest("hex");
    if (digest !== this.passwordDigest) {
      fs.writeFileSync(passwordFile, secret.password, { mode: 0o600 });
      this.passwordDigest = digest;
    }
    const restic = new Restic({ repository, passwordFile, env: secret.env, cacheDir: path.join(this.stateDir, "cache") });
    if (!this.ready.has(repository)) {
      await this.initializeOnce(namespace, restic);
      await restic.unlock();
      this.ready.add(repository);
    }
    return { restic, repository };
  }

  /**
   * Creates the repository if it does not exist, by one agent only. Two `restic init` at once on one
   * location (several nodes backing up one namespace's volumes for the first time) leave a config
   * encrypted under one master key and key files of another, a repository no one can open; so the
   * agent that creates a Lease `xlss-system/xlss-repo-<namespace>` initializes, and the others wait
   * until the repository opens. A lease left by an agent that died mid-init expires after a minute.
   */
  private async initializeOnce(namespace: string, restic: Restic): Promise<void> {
    const lock = { name: `xlss-repo-${namespace}`.slice(0, 253), namespace: SYSTEM_NAMESPACE };
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (await restic.exists()) return;
      try {
        await this.clients.coordination.createNamespacedLease({
          namespace: SYSTEM_NAMESPACE,
          body: { metadata: lock, spec: { holderIdentity: this.identity, leaseDurationSeconds: 60, acquireTime: microTime(), renewTime: microTime() } },
        });
      } catch (err) {
        if (!isConflict(err)) throw err;
        const held = await this.clients.coordination.readNamespacedLease(lock).catch(() => undefined);
        if (held && heartbeatExpiresAt(held) < Date.now()) await this.clients.coordination.deleteNamespacedLease(lock).catch(() => undefined);
        if (Date.now() > deadline) throw new ResticError(`repository for namespace ${namespace} is being created by another node and did not appear`, "locked", "");
        await sleep(1000);
        continue;
      }
      try {
        if (!(await restic.exists())) await restic.init();
      } finally {
        await this.clients.coordination.deleteNamespacedLease(lock).catch(() => undefined);
      }
    }
  }

  /**
   * Forgets that `namespace`'s repository was opened, after restic reported it missing (a target
   * remounted empty): the next run checks it again and creates it if needed.
   */
  forget(namespace: string): void {
    for (const repo of this.ready) if (repo.endsWith(`/${namespace}`)) this.ready.delete(repo);
  }

  private async readSecret(): Promise<{ repository: string; password: string; env: Record<string, string> }> {
    let data: Record<string, string>;
    try {
      data = (await this.clients.core.readNamespacedSecret({ name: BACKUP_SECRET, namespace: SYSTEM_NAMESPACE })).data ?? {};
    } catch (err) {
      if (isNotFound(err)) throw new ResticError(`backups are not configured: Secret ${SYSTEM_NAMESPACE}/${BACKUP_SECRET} is missing`, "no-repository", "");
      throw err;
    }
    const decode = (k: string) => (data[k] ? Buffer.from(data[k], "base64").toString("utf8") : undefined);
    const repository = decode("repository");
    const password = decode("password");
    if (!repository || !password) {
      throw new ResticError(`Secret ${SYSTEM_NAMESPACE}/${BACKUP_SECRET} needs the keys "repository" and "password"`, "no-repository", "");
    }
    const env: Record<string, string> = {};
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"]) {
      const v = decode(k);
      if (v) env[k] = v;
    }
    return { repository, password, env };
  }
}
