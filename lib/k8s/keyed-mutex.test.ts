import { expect, it } from "vitest";
import { KeyedMutex } from "./keyed-mutex";

it("serialises sections of one key, runs other keys alongside, and survives a failing section", async () => {
  const mutex = new KeyedMutex();
  const order: string[] = [];
  const section = (name: string, ms: number, fail = false) => async () => {
    order.push(`${name}:start`);
    await new Promise((r) => setTimeout(r, ms));
    order.push(`${name}:end`);
    if (fail) throw new Error(name);
  };
  await Promise.allSettled([
    mutex.run("a", section("a1", 30, true)),
    mutex.run("a", section("a2", 1)),
    mutex.run("b", section("b1", 5)),
  ]);
  expect(order.indexOf("a1:end")).toBeLessThan(order.indexOf("a2:start"));
  expect(order.indexOf("b1:end")).toBeLessThan(order.indexOf("a1:end"));
});
