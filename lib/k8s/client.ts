import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  PolicyV1Api,
  setHeaderOptions,
  StorageV1Api,
} from "@kubernetes/client-node";

/**
 * Request options for `patch*` calls with a JSON merge patch body; the generated client would
 * otherwise send the body as a JSON Patch (RFC 6902) operation list.
 */
export const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** Request options for `patch*` calls whose body is a JSON Patch (RFC 6902) operation list. */
export const jsonPatch = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);

/**
 * Loads the kubeconfig every process uses: the file named by `file`, else `$KUBECONFIG`, else the
 * in-cluster service account when running in a pod, else `~/.kube/config`.
 */
export function loadKubeConfig(file: string | undefined = process.env.KUBECONFIG): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc;
}

/** The typed API clients of one kubeconfig; the only place the project builds them. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  coordination: CoordinationV1Api;
  storage: StorageV1Api;
  policy: PolicyV1Api;
  custom: CustomObjectsApi;
  /** Generic access by apiVersion/kind, used for server-side apply of manifests. */
  objects: KubernetesObjectApi;
}

export function kubeClients(kc: KubeConfig = loadKubeConfig()): KubeClients {
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
    storage: kc.makeApiClient(StorageV1Api),
    policy: kc.makeApiClient(PolicyV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

const globalForKube = globalThis as unknown as { xlssKubeClients?: KubeClients };

/** The process-wide clients from the default kubeconfig, created on first use. */
export function sharedKubeClients(): KubeClients {
  globalForKube.xlssKubeClients ??= kubeClients();
  return globalForKube.xlssKubeClients;
}
