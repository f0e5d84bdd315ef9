import { describe, expect, it } from "vitest";
import { parseStrayEntry, roughDuration, strayEntryName } from "./stray-dirs";

describe("stray directory entries", () => {
  it("name the time they were set aside and the volume, and parse back", () => {
    const entry = strayEntryName(1_796_000_000_000, "pvc-0a1b2c3d");
    expect(entry).toBe("1796000000000-pvc-0a1b2c3d");
    expect(parseStrayEntry(entry)).toEqual({ setAsideMs: 1_796_000_000_000, name: "pvc-0a1b2c3d" });
  });

  it("are not recognised in anything else put under stray/ (which is then never removed)", () => {
    expect(parseStrayEntry("notes.txt")).toBeUndefined();
    expect(parseStrayEntry("123-pvc-x")).toBeUndefined(); // not a millisecond timestamp
    expect(parseStrayEntry("1796000000000-../etc")).toBeUndefined();
    expect(parseStrayEntry("1796000000000-PVC")).toBeUndefined();
  });
});

describe("roughDuration", () => {
  it("says a TTL in its largest unit", () => {
    expect(roughDuration(604_800_000)).toBe("7 d");
    expect(roughDuration(36 * 3_600_000)).toBe("2 d");
    expect(roughDuration(5 * 3_600_000)).toBe("5 h");
    expect(roughDuration(90_000)).toBe("2 min");
    expect(roughDuration(30_000)).toBe("30 s");
  });
});
