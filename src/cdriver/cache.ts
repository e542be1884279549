import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where compiled drivers are kept: $DMASIM_CACHE_DIR, else $XDG_CACHE_HOME/dmasim, else
 * ~/.cache/dmasim. Entries are named by their build's content hash, so an entry is never
 * stale and any number of processes may share the directory.
 */
export function cacheDir(): string {
  const env = process.env;
  if (env.DMASIM_CACHE_DIR) return env.DMASIM_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dmasim');
}

/** The cache file of build `key`. */
export function cachePath(key: string): string {
  return join(cacheDir(), `cc-${key}.wasm`);
}

/** The cached module of build `key`, or null when it was never built here. */
export function readCached(key: string): Uint8Array | null {
  try {
    return readFileSync(cachePath(key));
  } catch {
    return null;
  }
}

/** Stores build `key` (written aside, then renamed: a reader never sees half a module). */
export function writeCached(key: string, wasm: Uint8Array): void {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.cc-${key}.${process.pid}.${Math.random().toString(36).slice(2)}`);
  writeFileSync(tmp, wasm);
  renameSync(tmp, cachePath(key));
}
