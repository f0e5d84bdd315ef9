import { expect, it } from "vitest";
import { Registry } from "./registry";

it("builds plugins by name in order, refusing duplicates and unknown names", () => {
  const registry = new Registry<{ weight: number }>()
    .register("A", () => ({ name: "A" }))
    .register("B", (args, handle) => ({ name: `B${(args as { n: number }).n}-${handle.weight}` }));
  expect(() => registry.register("A", () => ({ name: "A" }))).toThrow(/already registered/);
  expect(registry.build([{ name: "B", args: { n: 2 } }, { name: "A" }], { weight: 5 }).map((p) => p.name)).toEqual(["B2-5", "A"]);
  expect(() => registry.build([{ name: "C" }], { weight: 1 })).toThrow(/unknown scheduler plugin C \(known: A, B\)/);
});
