import { describe, expect, it } from 'vitest';
import type { Anchor } from '../../src/shrink/candidate.js';
import { ddminPreemptions, runOnForced, truncate } from '../../src/shrink/passes.js';
import { scaleDown } from '../../src/shrink/scale.js';
import type { Shrinking } from '../../src/shrink/shrinker.js';

/** cpu0 preempted at its point `point` by the engine. */
const preemption = (point: number): Anchor => ({
  actor: 0,
  point,
  occ: 0,
  entity: 2,
  preempt: true,
});

/**
 * A shrink over a model program: a run makes exactly the picks it is given, and fails when
 * it preempts at every point of `needed` and `fails(options)` holds. Kept as the shrinker
 * keeps: failing, and fewer preemptions or lower options.
 */
class Model implements Shrinking {
  current: Shrinking['current'];
  runs = 0;

  constructor(
    points: number[],
    private readonly needed: number[],
    options: Record<string, unknown> = {},
    private readonly fails: (o: Record<string, unknown>) => boolean = () => true,
  ) {
    this.current = { options, anchors: points.map(preemption) };
  }

  /** The points the current schedule preempts at. */
  get points(): number[] {
    return this.current.anchors.filter((a) => a.preempt).map((a) => a.point);
  }

  spent(): boolean {
    return this.runs >= 1000;
  }

  try(anchors: readonly Anchor[], options?: Record<string, unknown>): Promise<boolean> {
    this.runs++;
    const o = options ?? this.current.options;
    const at = anchors.filter((a) => a.preempt).map((a) => a.point);
    const fails = this.needed.every((k) => at.includes(k)) && this.fails(o);
    const n = this.points.length;
    const kept = fails && (at.length < n || (at.length === n && options !== undefined));
    if (kept) this.current = { options: o, anchors: [...anchors] };
    return Promise.resolve(kept);
  }
}

const every = (n: number, step: number): number[] => Array.from({ length: n }, (_, i) => i * step);

describe('truncate', () => {
  it('keeps the fewest leading preemptions that still fail', async () => {
    const m = new Model(every(40, 3), [15, 36]);
    expect(await truncate(m)).toBe(true);
    expect(m.points).toEqual(every(13, 3));
  });

  it('drops every preemption when the run fails without any', async () => {
    const m = new Model(every(40, 3), []);
    expect(await truncate(m)).toBe(true);
    expect([m.points, m.runs]).toEqual([[], 1]);
  });
});

describe('ddminPreemptions', () => {
  it.each([
    [[5, 31], 40],
    [[0], 7],
    [[2, 3, 4], 9],
    [[], 16],
  ])('reduces the preemptions to the needed ones %j (of %i)', async (needed, n) => {
    const m = new Model(every(n, 1), needed);
    await ddminPreemptions(m);
    expect(m.points).toEqual(needed);
    // ddmin needs O(k log n) runs for k needed of n.
    expect(m.runs).toBeLessThan(12 * (needed.length + 1) * Math.log2(n + 1));
  });

  it('leaves a schedule whose every preemption is needed', async () => {
    const m = new Model([1, 2, 3], [1, 2, 3]);
    expect(await ddminPreemptions(m)).toBe(false);
    expect(m.points).toEqual([1, 2, 3]);
  });
});

describe('runOnForced', () => {
  it('tries nothing when no forced switch names an entity', async () => {
    const m = new Model([1], [1]);
    expect(await runOnForced(m)).toBe(false);
    expect(m.runs).toBe(0);
  });
});

describe('scaleDown', () => {
  it('lowers each count to the smallest of 1, a quarter and a half that still fails', async () => {
    const m = new Model([1], [], { iterations: 16, clients: 2, channels: 1, len: 4096 }, (o) => {
      return (o.iterations as number) >= 3;
    });
    expect(await scaleDown(m)).toBe(true);
    expect(m.current.options).toEqual({ iterations: 4, clients: 1, channels: 1, len: 4096 });
  });

  it('leaves an unbounded iteration count (0) alone', async () => {
    const m = new Model([], [], { iterations: 0 });
    expect(await scaleDown(m)).toBe(false);
    expect(m.runs).toBe(0);
  });
});
