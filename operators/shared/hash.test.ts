import { expect, it } from "vitest";
import { hashOf, stableJson } from "./hash";

it("gives equal values equal text and hashes, whatever the key order", () => {
  expect(stableJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: "" } })).toBe('{"a":{"c":"","d":[2,{"x":0,"y":1}]},"b":1}');
  expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
  expect(hashOf({ a: 1 })).not.toBe(hashOf({ a: 2 }));
  expect(hashOf([1, 2])).not.toBe(hashOf([2, 1]));
  expect(hashOf("x")).toMatch(/^[0-9a-f]{16}$/);
});
