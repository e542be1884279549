import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardRuns } from '../../src/campaign/shard.js';
import { violationSignature } from '../../src/campaign/signature.js';
import { thrown } from '../support/thrown.js';

describe('--shard i/n', () => {
  it('reads i/n and refuses anything else with the flag named', () => {
    expect(parseShard('')).toBeNull();
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/2', '3/2', '1/0', 'x', '1/', '/2', '1.5/2', '-1/2']) {
      const e = thrown(() => parseShard(bad)) as { code?: string; message: string };
      expect(e.code).toBe('DMASIM_BAD_OPTION');
      expect(e.message).toContain('--shard');
    }
  });

  it('partitions the runs exactly: every run in one shard, none twice', () => {
    for (const [runs, n] of [
      [1000, 7],
      [5, 8],
      [64, 1],
      [0, 3],
    ] as const) {
      const seen = new Array<number>(runs).fill(0);
      for (let i = 1; i <= n; i++) {
        const shard = { index: i, count: n };
        for (const r of shardRuns(runs, shard)) {
          expect(inShard(r, shard)).toBe(true);
          seen[r]!++;
        }
      }
      expect(seen.every((c) => c === 1)).toBe(true);
    }
    expect(shardRuns(4, null)).toEqual([0, 1, 2, 3]);
  });
});

describe('violationSignature', () => {
  it('tells bugs of one kind apart by what they name, not by timing', () => {
    const a = { kind: 'api-misuse', message: 'x', rule: 'submit-twice', time: 1 };
    const b = { kind: 'api-misuse', message: 'y', rule: 'submit-twice', time: 9 };
    const c = { kind: 'api-misuse', message: 'x', rule: 'chan-not-held' };
    expect(violationSignature(a)).toBe(violationSignature(b));
    expect(violationSignature(a)).not.toBe(violationSignature(c));
    expect(violationSignature({ kind: 'deadlock', message: 'm', report: 'r' })).toBe('deadlock');
    expect(
      violationSignature({ kind: 'circular-locking', message: 'm', chain: ['&a', '&b'] }),
    ).toBe('circular-locking:&a -> &b');
  });
});
