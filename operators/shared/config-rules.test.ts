import { expect, it } from "vitest";
import { configValidationRules } from "./config-rules";

it("escapes quotes and backslashes in the literals it writes into CEL", () => {
  const [managed] = configValidationRules({
    product: "Test",
    known: { "a.b": { kind: { type: "pattern", pattern: "^[0-9]+\\.x$", description: "d" }, scope: "all", help: "h" } },
    managed: { "x.y": "the pod's name" },
  });
  expect(managed?.rule).toBe(`self.all(k, !(k in {'x.y': 'the pod\\'s name'}))`);
  const rules = configValidationRules({ product: "Test", known: { "a.b": { kind: { type: "pattern", pattern: "^[0-9]+\\.x$", description: "d" }, scope: "all", help: "h" } }, managed: {} });
  expect(rules[2]?.rule).toContain(`{'a.b': 're:^[0-9]+\\\\.x$'}`);
});
