import { expect, it } from "vitest";
import { Registry, withoutArgs } from "./registry";

it("builds plugins by name in order, refusing duplicates and unknown names", () => {
  const registry = new Registry<{ weight: number }>()
    .register("A", () => ({ name: "A" }))
    .register("B", (args, handle) => ({ name: `B${(args as { n: number }).n}-${handle.weight}` }));
  expect(() => registry.register("A", () => ({ name: "A" }))).toThrow(/already registered/);
  expect(registry.build([{ name: "B", args: { n: 2 } }, { name: "A" }], { weight: 5 }).map((p) => p.name)).toEqual(["B2-5", "A"]);
  expect(() => registry.build([{ name: "C" }], { weight: 1 })).toThrow(/unknown scheduler plugin C \(known: A, B\)/);
  expect([registry.has("A"), registry.has("C"), registry.names]).toEqual([true, false, ["A", "B"]]);
});

it("refuses args for a plugin that takes none", () => {
  const registry = new Registry<undefined>().register("A", withoutArgs(() => ({ name: "A" })));
  expect(registry.build([{ name: "A" }], undefined)).toHaveLength(1);
  expect(() => registry.build([{ name: "A", args: { x: 1 } }], undefined)).toThrow("this plugin takes no args");
});
