import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import { workerPath } from './worker-url.js';

/** Relative module specifiers of a compiled file: static imports, re-exports, import(). */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

let cached: string | null = null;

/**
 * A hash of the code that decides a schedule: every compiled module an actor thread can
 * load, found by following the imports from the actor's entry (the same files whether the
 * host runs from sources or from the build). A replay file carries it; a controlled
 * schedule replays exactly only on the code that recorded it.
 */
export function scheduleCodeHash(): string {
  if (cached !== null) return cached;
  const entry = workerPath('actor');
  const root = join(dirname(entry), '..');
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const m of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const dep = resolve(dirname(file), m[1]!);
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  const h = createHash('sha256');
  for (const file of [...seen].sort()) {
    h.update(`${relative(root, file)}\0`);
    h.update(readFileSync(file));
  }
  cached = h.digest('hex').slice(0, 16);
  return cached;
}

/** sha256 (16 hex digits) of a user scenario module's file, from its file:// URL. */
export function moduleHash(url: string): string {
  return createHash('sha256')
    .update(readFileSync(fileURLToPath(url)))
    .digest('hex')
    .slice(0, 16);
}
