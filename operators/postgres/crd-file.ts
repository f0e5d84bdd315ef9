import path from "node:path";
import { fileURLToPath } from "node:url";

/** The PostgresCluster CRD in the Helm chart (installed by the local cluster launcher with the other CRDs). */
export const POSTGRES_CRD_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../charts/xlss/crds/paas.xlss.io_postgresclusters.yaml");
