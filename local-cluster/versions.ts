import os from "node:os";
import path from "node:path";

/** Versions of the binaries the local cluster runs; the Go module in `gobuild/` pins the same ones. */
export const VERSIONS = {
  kubernetes: "v1.36.3",
  etcd: "v3.6.8",
  kwok: "v0.8.0",
} as const;

/** Each binary: its file name in the cache and the Go package that builds it. */
export const BINARIES = [
  { name: "etcd", pkg: "go.etcd.io/etcd/server/v3" },
  { name: "kwok", pkg: "sigs.k8s.io/kwok/cmd/kwok" },
  { name: "kube-apiserver", pkg: "k8s.io/kubernetes/cmd/kube-apiserver" },
  { name: "kube-controller-manager", pkg: "k8s.io/kubernetes/cmd/kube-controller-manager" },
  { name: "kube-scheduler", pkg: "k8s.io/kubernetes/cmd/kube-scheduler" },
  { name: "kubectl", pkg: "k8s.io/kubernetes/cmd/kubectl" },
] as const;

export type BinaryName = (typeof BINARIES)[number]["name"];

/**
 * Where built binaries are cached, outside the repository and keyed by version so that a version bump
 * builds afresh and old builds never shadow new ones. `XLSS_CACHE_DIR` overrides the root.
 */
export function binDir(): string {
  const root =
    process.env.XLSS_CACHE_DIR ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "xlss");
  const key = `k8s-${VERSIONS.kubernetes}_etcd-${VERSIONS.etcd}_kwok-${VERSIONS.kwok}`;
  return path.join(root, "bin", key);
}

export function binPath(name: BinaryName): string {
  return path.join(binDir(), name);
}
