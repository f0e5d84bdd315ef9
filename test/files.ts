import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** sha256 of every regular file under `dir`, keyed by relative path: equal maps mean identical trees. */
export function checksums(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[path.relative(dir, p)] = createHash("sha256").update(fs.readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

/** Writes `count` files of `size` random bytes under `dir/sub` (random data defeats compression and dedup). */
export function writeRandomFiles(dir: string, sub: string, count: number, size: number): void {
  fs.mkdirSync(path.join(dir, sub), { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, sub, `f${i}`), randomBytes(size));
}
