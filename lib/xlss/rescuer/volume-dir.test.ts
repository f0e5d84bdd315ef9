import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createVolumeDir, measureUsage, removeVolumeDir, treeStats, volumeDir, volumeDirExists } from "./volume-dir";

describe("volumeDir", () => {
  it("places a volume under <root>/volumes", () => {
    expect(volumeDir("/var/lib/xlss", "pvc-1f0c2a")).toBe("/var/lib/xlss/volumes/pvc-1f0c2a");
  });

  it.each(["..", "../etc", "a/b", "/abs", "", ".hidden", "UPPER", "a..b", "x".repeat(300), "a\u0000b", "name."])(
    "refuses the unsafe name %j",
    (name) => {
      expect(() => volumeDir("/var/lib/xlss", name)).toThrow(/unsafe volume name/);
    },
  );
});

describe("volume directories on a real filesystem", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "xlss-pool-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("creates idempotently with root-only parents and a writable volume directory", async () => {
    const dir = await createVolumeDir(root, "pvc-a");
    expect(await createVolumeDir(root, "pvc-a")).toBe(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o777);
    expect(fs.statSync(path.dirname(dir)).mode & 0o777).toBe(0o700);
    expect(await volumeDirExists(root, "pvc-a")).toBe(true);
  });

  it("refuses to treat a file as a volume directory", async () => {
    fs.mkdirSync(path.join(root, "volumes"));
    fs.writeFileSync(path.join(root, "volumes", "pvc-b"), "x");
    await expect(createVolumeDir(root, "pvc-b")).rejects.toThrow(/not a directory/);
  });

  it("measures allocated bytes and counts hard links once", async () => {
    const dir = await createVolumeDir(root, "pvc-c");
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(path.join(dir, "sub", "data"), Buffer.alloc(1024 * 1024, 1));
    fs.linkSync(path.join(dir, "sub", "data"), path.join(dir, "link"));
    fs.symlinkSync("/etc/passwd", path.join(dir, "symlink"));
    const used = await measureUsage(dir);
    expect(used).toBeGreaterThanOrEqual(1024 * 1024);
    expect(used).toBeLessThan(2 * 1024 * 1024);
  });

  it("counts entries and file bytes of a tree", async () => {
    const dir = await createVolumeDir(root, "pvc-e");
    fs.mkdirSync(path.join(dir, "sub", "deeper"), { recursive: true });
    fs.writeFileSync(path.join(dir, "sub", "f1"), "x");
    fs.writeFileSync(path.join(dir, "sub", "deeper", "f2"), "yy");
    fs.writeFileSync(path.join(dir, "f3"), "zzzz");
    expect(await treeStats(dir)).toEqual({ entries: 5, bytes: 7 });
  });

  it("removes a volume and its contents; removing twice is fine", async () => {
    const dir = await createVolumeDir(root, "pvc-d");
    fs.writeFileSync(path.join(dir, "f"), "x");
    await removeVolumeDir(root, "pvc-d");
    await removeVolumeDir(root, "pvc-d");
    expect(fs.existsSync(dir)).toBe(false);
  });
});
