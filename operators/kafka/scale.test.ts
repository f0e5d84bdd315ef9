import { describe, expect, it } from "vitest";
import { scaleInRefusal } from "./scale";

const rf = (factor: number, minInSync: number) => ({ factor, minInSync });

describe("scaleInRefusal", () => {
  it.each([
    { name: "scale-out is never refused", current: 3, desired: 5, inEffect: rf(3, 2), requested: rf(3, 2), refused: false },
    { name: "same size", current: 3, desired: 3, inEffect: rf(3, 2), requested: rf(3, 2), refused: false },
    { name: "in, still room for every replica", current: 5, desired: 3, inEffect: rf(3, 2), requested: rf(3, 2), refused: false },
    { name: "in below the factor in effect, though the spec lowered it too", current: 3, desired: 2, inEffect: rf(3, 2), requested: rf(2, 1), refused: true },
    { name: "in once the lower factor has rolled out", current: 3, desired: 2, inEffect: rf(2, 1), requested: rf(2, 1), refused: false },
    { name: "in below min.insync.replicas", current: 3, desired: 1, inEffect: rf(1, 2), requested: rf(1, 1), refused: true },
  ])("$name", ({ current, desired, inEffect, requested, refused }) => {
    expect(scaleInRefusal(current, desired, inEffect, requested) !== undefined).toBe(refused);
  });

  it("says what runs, what would break and what to do", () => {
    expect(scaleInRefusal(3, 2, rf(3, 2), rf(2, 1))).toBe(
      "scale-in from 3 to 2 brokers refused: the brokers run with default.replication.factor=3 and min.insync.replicas=2 " +
        "(the internal topics too), so partitions with 3 replicas would lose some. Lower spec.replication first and let that " +
        "roll out, move the partitions off brokers 2..2 (kafka-reassign-partitions.sh), then scale in; 3 brokers keep running meanwhile",
    );
  });
});
