import { describe, it, expect } from 'vitest';
import { deriveSeed, Prandom } from '../../src/sched/random.js';

/** Reference mulberry32 (Tommy Ettinger), the generator Prandom documents. */
function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function take(rng: Prandom, n: number): number[] {
  return Array.from({ length: n }, () => rng.u32());
}

describe('Prandom', () => {
  it.each([1, 42, 0xdeadbeef, 0xffffffff, 0x80000000])(
    'produces the mulberry32 stream for seed %i',
    (seed) => {
      const ref = mulberry32(seed);

      expect(take(new Prandom(seed), 1000)).toEqual(Array.from({ length: 1000 }, ref));
    },
  );

  it('is deterministic per seed', () => {
    expect(take(new Prandom(7), 100)).toEqual(take(new Prandom(7), 100));
  });

  it('gives different streams for different seeds', () => {
    expect(take(new Prandom(7), 8)).not.toEqual(take(new Prandom(8), 8));
  });

  it('replaces seed 0 with a fixed non-zero seed', () => {
    expect(take(new Prandom(0), 16)).toEqual(take(new Prandom(0x9e3779b9), 16));
  });

  it('reads the seed as an unsigned 32-bit value', () => {
    expect(take(new Prandom(-1), 16)).toEqual(take(new Prandom(0xffffffff), 16));
    expect(take(new Prandom(2 ** 32 + 5), 16)).toEqual(take(new Prandom(5), 16));
  });

  it('returns unsigned 32-bit integers from u32()', () => {
    const rng = new Prandom(3);

    const bad = take(rng, 10_000).filter(
      (v) => !(Number.isInteger(v) && v >= 0 && v <= 0xffffffff),
    );

    expect(bad).toEqual([]);
  });

  it('returns floats in [0, 1) that spread over the interval', () => {
    const rng = new Prandom(99);
    const buckets = new Array<number>(10).fill(0);

    const outside: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const f = rng.float();
      if (f >= 0 && f < 1) buckets[Math.floor(f * 10)]!++;
      else outside.push(f);
    }

    expect(outside).toEqual([]);
    // Deterministic for this seed; each tenth gets about 1000 of 10000.
    for (const b of buckets) expect(b).toBeGreaterThan(800);
  });

  it('maps u32() onto float() by dividing by 2^32', () => {
    const a = new Prandom(11);
    const b = new Prandom(11);

    expect(Array.from({ length: 50 }, () => a.float())).toEqual(
      Array.from({ length: 50 }, () => b.u32() / 4294967296),
    );
  });
});

describe('deriveSeed', () => {
  it('is deterministic', () => {
    expect(deriveSeed(1, 3)).toBe(deriveSeed(1, 3));
  });

  it('returns unsigned 32-bit seeds', () => {
    for (let s = 0; s < 64; s++) {
      const v = deriveSeed(0xdeadbeef, s);
      expect(Number.isInteger(v) && v >= 0 && v <= 0xffffffff).toBe(true);
    }
  });

  it('gives a different seed to every stream of a run', () => {
    const seeds = Array.from({ length: 256 }, (_, s) => deriveSeed(1, s));

    expect(new Set(seeds).size).toBe(256);
  });

  it('gives stream i different seeds in runs with different seeds', () => {
    const seeds = Array.from({ length: 256 }, (_, run) => deriveSeed(run, 0));

    expect(new Set(seeds).size).toBe(256);
  });

  it('gives the derived streams different outputs', () => {
    const firsts = Array.from({ length: 64 }, (_, s) => take(new Prandom(deriveSeed(5, s)), 4));

    expect(new Set(firsts.map((f) => f.join(','))).size).toBe(64);
  });
});
