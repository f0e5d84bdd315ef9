import { describe, expect, it } from "vitest";
import { tail } from "./hook-runner";
import { parseHooks } from "./hooks";
import { exitCodeOf, scrub } from "./pod-exec";

describe("parseHooks", () => {
  it("has no hooks and no errors without hook annotations", () => {
    expect(parseHooks(undefined)).toEqual({ hooks: {}, errors: [] });
    expect(parseHooks({ "backup.xlss.io/schedule": "@every 1m" })).toEqual({ hooks: {}, errors: [] });
  });

  it("reads a pre hook with defaults: first container, 30s, Fail", () => {
    expect(parseHooks({ "backup.xlss.io/pre-hook": '["/bin/sh", "-c", "sync"]' })).toEqual({
      hooks: { pre: { phase: "pre", command: ["/bin/sh", "-c", "sync"], container: undefined, timeoutMs: 30_000, onError: "Fail" } },
      errors: [],
    });
  });

  it("reads both hooks with container, timeout and on-error", () => {
    const { hooks, errors } = parseHooks({
      "backup.xlss.io/pre-hook": '["fsfreeze", "--freeze", "/data"]',
      "backup.xlss.io/pre-hook-container": "kafka",
      "backup.xlss.io/pre-hook-timeout": "2m",
      "backup.xlss.io/pre-hook-on-error": "Continue",
      "backup.xlss.io/post-hook": '["fsfreeze", "--unfreeze", "/data"]',
      "backup.xlss.io/post-hook-timeout": "500ms",
    });
    expect(errors).toEqual([]);
    expect(hooks.pre).toEqual({ phase: "pre", command: ["fsfreeze", "--freeze", "/data"], container: "kafka", timeoutMs: 120_000, onError: "Continue" });
    expect(hooks.post).toEqual({ phase: "post", command: ["fsfreeze", "--unfreeze", "/data"], container: undefined, timeoutMs: 500, onError: "Fail" });
  });

  it.each([
    [{ "backup.xlss.io/pre-hook": "sync" }, /pre-hook: "sync" is not a JSON array of strings; write it as a JSON array, e.g. \["\/bin\/sh", "-c", "sync"\]/],
    [{ "backup.xlss.io/pre-hook": '["sh", "-c"' }, /is not a JSON array of strings/],
    [{ "backup.xlss.io/post-hook": "[]" }, /post-hook: must be a non-empty JSON array of strings/],
    [{ "backup.xlss.io/post-hook": '["sh", 1]' }, /post-hook: must be a non-empty JSON array of strings/],
    [{ "backup.xlss.io/post-hook": '{"cmd": "sync"}' }, /post-hook: must be a non-empty JSON array/],
    [{ "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/pre-hook-timeout": "-5s" }, /pre-hook-timeout: must be positive, got -5s/],
    [{ "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/pre-hook-timeout": "0s" }, /must be positive, got 0s/],
    [{ "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/pre-hook-timeout": "30" }, /"30" is not a duration like 30s, 5m, 1h/],
    [{ "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/pre-hook-on-error": "Ignore" }, /pre-hook-on-error must be "Fail" or "Continue", got "Ignore"/],
    [{ "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/pre-hook-on-error": "fail" }, /must be "Fail" or "Continue", got "fail"/],
    [{ "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/pre-hook-container": "Kafka_1" }, /"Kafka_1" is not a container name/],
    [{ "backup.xlss.io/post-hook-timeout": "10s" }, /post-hook-timeout is set but backup.xlss.io\/post-hook is missing/],
  ])("rejects %j, and then has no hooks at all", (annotations, message) => {
    const { hooks, errors } = parseHooks(annotations);
    expect(errors.join("\n")).toMatch(message);
    expect(hooks).toEqual({});
  });

  it("drops a valid hook when the other one is invalid", () => {
    const { hooks, errors } = parseHooks({ "backup.xlss.io/pre-hook": '["sync"]', "backup.xlss.io/post-hook": "thaw" });
    expect(errors).toHaveLength(1);
    expect(hooks).toEqual({});
  });
});

describe("exitCodeOf", () => {
  it("reads success, a kubelet's NonZeroExitCode and KWOK's internal error", () => {
    expect(exitCodeOf({ status: "Success" })).toBe(0);
    expect(
      exitCodeOf({
        status: "Failure",
        reason: "NonZeroExitCode",
        message: "command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3",
        details: { causes: [{ reason: "ExitCode", message: "3" }] },
      }),
    ).toBe(3);
    expect(
      exitCodeOf({
        status: "Failure",
        reason: "InternalError",
        message: "Internal error occurred: error executing command in container: cmd wait: sh -c exit 7: exit status 7",
      }),
    ).toBe(7);
  });

  it("is undefined when the command did not run", () => {
    expect(exitCodeOf({ status: "Failure", reason: "InternalError", message: 'no exec found for container "app" in pod "a/b"' })).toBeUndefined();
  });
});

it("scrub removes the command line from server messages", () => {
  expect(scrub("cmd start: mysqldump -psecret db: no such file", ["mysqldump", "-psecret", "db"])).toBe("cmd start: <command>: no such file");
});

it("tail keeps the last lines of stderr on one line, bounded", () => {
  expect(tail("")).toBe("");
  expect(tail("a\n\nb\r\nc\nd\ne\nf\n")).toBe("b | c | d | e | f");
  expect(tail("x".repeat(1000))).toBe(`…${"x".repeat(400)}`);
});
