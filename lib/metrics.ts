import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * The one metrics registry of a process. Every metric is prefixed `xlss_` and labelled by what it
 * counts (controller, node, …); `serveMetrics` in lib/k8s/manager exposes it at /metrics.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "xlss_process_" });
