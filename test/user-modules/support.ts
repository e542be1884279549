import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A fresh directory outside the project (no node_modules near it), with `fixtures` copied in. */
export function outsideDir(...fixtures: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'dmasim-user-module-'));
  for (const f of fixtures) {
    copyFileSync(fileURLToPath(new URL(`../fixtures/user/${f}`, import.meta.url)), join(dir, f));
  }
  return dir;
}

/** A short controlled run of the fixtures. */
export const QUICK = ['--mode', 'controlled', '--seed', '1', '--deadline', '20000'];
