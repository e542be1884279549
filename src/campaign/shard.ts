import { DmasimError } from '../errors.js';

/** A deterministic slice of a campaign's runs: run i belongs to shard (i mod count) + 1. */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/**
 * Reads `--shard i/n`. Round-robin slices (not ranges) keep every shard's share of early
 * and late seeds alike, so no job is the slow one.
 * @returns null for '' (the whole seed space)
 * @throws DmasimError DMASIM_BAD_OPTION for anything but i/n with 1 <= i <= n
 */
export function parseShard(text: string): Shard | null {
  if (text === '') return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count || count > 0xffff) {
    throw new DmasimError(
      'DMASIM_BAD_OPTION',
      `--shard: got ${JSON.stringify(text)}, expected i/n with 1 <= i <= n <= 65535 (e.g. 2/8)`,
    );
  }
  return { index, count };
}

/** Whether run `i` (0-based, of the unsharded campaign) is in `shard`. */
export function inShard(i: number, shard: Shard | null): boolean {
  return shard === null || i % shard.count === shard.index - 1;
}

/** The runs of `shard` among `runs`, in order. */
export function shardRuns(runs: number, shard: Shard | null): number[] {
  const out: number[] = [];
  const first = shard ? shard.index - 1 : 0;
  const step = shard ? shard.count : 1;
  for (let i = first; i < runs; i += step) out.push(i);
  return out;
}
