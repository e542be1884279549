import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { workerPath } from './worker-url.js';

/**
 * Folders of the built library whose code runs in the actors and so decides where the
 * points are and what happens between them. The CLI, the host and the checkers do not.
 */
const SCHEDULE_CODE = [
  'sched',
  'shm',
  'kernel',
  'dmaengine',
  'providers',
  'clients',
  'scenarios',
  'events',
];
const NOT_SCHEDULE_CODE = new Set(['checkers', 'drain.js', 'event-hash.js']);

let cached: string | null = null;

/**
 * A hash of the code that decides a schedule: every compiled file the actors run (the same
 * files whether the host runs from sources or from the build). A replay file carries it;
 * a controlled schedule replays exactly only on the code that recorded it.
 */
export function scheduleCodeHash(): string {
  if (cached !== null) return cached;
  const root = join(workerPath('actor'), '..', '..', 'src');
  const h = createHash('sha256');
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (NOT_SCHEDULE_CODE.has(e.name)) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path, `${rel}${e.name}/`);
      else if (e.name.endsWith('.js')) {
        h.update(`${rel}${e.name}\0`);
        h.update(readFileSync(path));
      }
    }
  };
  for (const folder of SCHEDULE_CODE) walk(join(root, folder), `${folder}/`);
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
