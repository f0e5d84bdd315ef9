import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configFiles } from "./config";
import { kafkaCluster, type KafkaSpecInput } from "./test-fixtures";

// Runs the generated start script in bash, as the container would, with stand-ins for Kafka's two
// commands that record their arguments: what reaches Kafka is checked, not the script's text.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function runStart(spec: KafkaSpecInput, env: Record<string, string>, tls: string[] = []) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-start-"));
  dirs.push(root);
  const [config, work, bin, tlsDir] = ["config", "work", "kafka/bin", "tls"].map((d) => path.join(root, d)) as [string, string, string, string];
  for (const d of [config, work, bin, tlsDir]) fs.mkdirSync(d, { recursive: true });
  for (const [file, text] of Object.entries(configFiles(kafkaCluster(spec), { controller: "4.1.1", broker: "4.1.1" }))) fs.writeFileSync(path.join(config, file), text);
  for (const name of tls) {
    fs.mkdirSync(path.join(tlsDir, name));
    fs.writeFileSync(path.join(tlsDir, name, "tls.key"), "KEY\n");
    fs.writeFileSync(path.join(tlsDir, name, "tls.crt"), "CERT\n");
  }
  for (const tool of ["kafka-storage.sh", "kafka-server-start.sh"]) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/bash\necho "${tool} $*" >> "${root}/calls"\n`, { mode: 0o755 });
  }
  execFileSync("bash", [path.join(config, "start.sh")], {
    env: { ...process.env, KAFKA_RACK: "", KAFKA_HOME: path.join(root, "kafka"), XLSS_CONFIG_DIR: config, XLSS_WORK_DIR: work, XLSS_TLS_DIR: tlsDir, KAFKA_CLUSTER_ID: "PyyKHlt9TA6abx0uP0pbbA", ...env },
  });
  const props = fs.readFileSync(path.join(work, "server.properties"), "utf8");
  return {
    props,
    setting: (key: string) => props.split("\n").find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1),
    calls: fs.readFileSync(path.join(root, "calls"), "utf8").trim().split("\n"),
    work,
  };
}

describe("start.sh", () => {
  it("starts a broker with its ordinal as node.id, its zone as rack, after formatting its storage once", () => {
    const r = runStart({}, { POD_NAME: "orders-broker-2", KAFKA_ROLE: "broker", KAFKA_CONTROLLERS: "3", KAFKA_RACK: "zone-b" });
    expect(r.setting("node.id")).toBe("2");
    expect(r.setting("broker.rack")).toBe("zone-b");
    expect(r.setting("advertised.listeners")).toBe("REPLICATION://orders-broker-2.orders-headless.team-a.svc:9091,PLAIN://orders-broker-2.orders-headless.team-a.svc:9092");
    expect(r.props).not.toContain("@@");
    expect(r.calls).toEqual([
      `kafka-storage.sh format --ignore-formatted --cluster-id PyyKHlt9TA6abx0uP0pbbA --config ${r.work}/server.properties`,
      `kafka-server-start.sh ${r.work}/server.properties`,
    ]);
  });

  it("numbers dedicated controllers from 1000", () => {
    const r = runStart({}, { POD_NAME: "orders-controller-1", KAFKA_ROLE: "controller", KAFKA_CONTROLLERS: "3" });
    expect(r.setting("node.id")).toBe("1001");
    expect(r.setting("process.roles")).toBe("controller");
  });

  it("makes the first brokers of a combined cluster voters, and the others brokers only", () => {
    const spec: KafkaSpecInput = { replicas: 4, controllers: { mode: "Combined", replicas: 3 } };
    const env = { KAFKA_ROLE: "combined", KAFKA_CONTROLLERS: "3", KAFKA_RACK: "zone-a" };
    expect(runStart(spec, { ...env, POD_NAME: "orders-broker-2" }).setting("process.roles")).toBe("broker,controller");
    const fourth = runStart(spec, { ...env, POD_NAME: "orders-broker-3" });
    expect(fourth.setting("process.roles")).toBe("broker");
    expect(fourth.setting("node.id")).toBe("3");
  });

  it("leaves broker.rack out when the pod has no zone, rather than writing an empty rack", () => {
    const r = runStart({}, { POD_NAME: "orders-broker-0", KAFKA_ROLE: "broker", KAFKA_CONTROLLERS: "3" });
    expect(r.setting("broker.rack")).toBeUndefined();
    expect(r.props).not.toContain("@@");
  });

  it("builds each TLS listener's PEM key store from its Secret, key first", () => {
    const spec: KafkaSpecInput = { listeners: [{ name: "plain", port: 9092 }, { name: "secure", port: 9094, tls: { secretName: "s" } }] };
    const r = runStart(spec, { POD_NAME: "orders-broker-0", KAFKA_ROLE: "broker", KAFKA_CONTROLLERS: "3" }, ["secure"]);
    expect(fs.readFileSync(path.join(r.work, "secure.pem"), "utf8")).toBe("KEY\nCERT\n");
  });
});
