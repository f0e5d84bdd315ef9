import { describe, expect, it } from "vitest";
import en from "../messages/en.json";
import zh from "../messages/zh-CN.json";
import { pickLocale } from "./locales";

/** Every leaf key of a message tree, dotted. */
function keys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (v && typeof v === "object" ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

/** The {placeholders} of a message. */
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]))].sort();

describe("messages", () => {
  it("has the same keys in English and Simplified Chinese", () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it("uses the same placeholders in both languages", () => {
    const get = (tree: object, key: string) => key.split(".").reduce<unknown>((t, k) => (t as Record<string, unknown>)[k], tree) as string;
    for (const key of keys(en)) expect(placeholders(get(zh, key)), key).toEqual(placeholders(get(en, key)));
  });
});

describe("pickLocale", () => {
  it.each([
    ["zh-CN", null, "zh-CN"],
    ["fr", "zh-TW,zh;q=0.9", "zh-CN"],
    [undefined, "en-GB,en;q=0.8", "en"],
    [undefined, "de", "en"],
  ])("cookie %s, Accept-Language %s → %s", (cookie, accept, locale) => expect(pickLocale(cookie, accept)).toBe(locale));
});
