import { describe, expect, it } from 'vitest';
import { prepare } from '../../src/host/prepare.js';
import { MAX_CHANGES, SCHED, SCHED_ACTOR, prioBase } from '../../src/shm/sched-struct.js';
import { Point } from '../../src/sched/labels.js';
import type { SchedView } from '../../src/sched/sched-view.js';
import { followStrategy } from '../../src/sched/strategies/follow.js';
import { pctStrategy } from '../../src/sched/strategies/pct.js';
import { randomStrategy } from '../../src/sched/strategies/random.js';
import { replayStrategy } from '../../src/sched/strategies/replay.js';
import {
  LIST_HEADER,
  PREEMPTED,
  RECORD,
  shrinkStrategy,
} from '../../src/sched/strategies/shrink.js';
import { controlledView } from './support.js';

const all = (n: number): Int32Array => Int32Array.from({ length: n }, (_, e) => e);

function prios(v: SchedView): number[] {
  return Array.from(v.i32.subarray(prioBase(), prioBase() + v.entities()));
}

/** Picks `k` times from every entity, as the token holders of a run would. */
function picks(v: SchedView, pick: (n: number) => number, k: number): number[] {
  return Array.from({ length: k }, () => {
    v.i32[SCHED.CHOICES]!++;
    const e = pick(v.entities());
    v.i32[SCHED.LAST] = e;
    return e;
  });
}

describe('random strategy', () => {
  it('picks every enabled entity, and the same sequence for the same seed', () => {
    const seq = (seed: number): number[] => {
      const v = controlledView({ strategy: 'random', seed });
      return picks(v, (n) => randomStrategy.pick(v, all(n), n, Point.spin_lock), 200);
    };
    const a = seq(5);
    expect(new Set(a)).toEqual(new Set([0, 1, 2, 3]));
    expect(seq(5)).toEqual(a);
    expect(seq(6)).not.toEqual(a);
  });
});

describe('PCT strategy', () => {
  it('gives the entities distinct priorities d .. d+n-1 and d-1 sorted change points', () => {
    const v = controlledView({ strategy: 'pct', pctDepth: 3, pctSteps: 100, seed: 9 });
    expect([...prios(v)].sort()).toEqual([3, 4, 5, 6]);
    const changes = Array.from(v.i32.subarray(SCHED.CHANGES, SCHED.CHANGES + MAX_CHANGES));
    expect(changes.slice(2)).toEqual(new Array<number>(MAX_CHANGES - 2).fill(-1));
    expect(changes[0]).toBeGreaterThanOrEqual(1);
    expect(changes[1]).toBeLessThanOrEqual(100);
    expect(changes[0]).toBeLessThanOrEqual(changes[1]!);
  });

  it('always runs the highest-priority entity that can run', () => {
    const v = controlledView({ strategy: 'pct', pctDepth: 1, seed: 3 });
    const p = prios(v);
    const top = p.indexOf(Math.max(...p));
    expect(pctStrategy.pick(v, all(4), 4, Point.spin_lock)).toBe(top);
    const rest = all(4).filter((e) => e !== top);
    const second = [...rest].sort((a, b) => p[b]! - p[a]!)[0];
    expect(pctStrategy.pick(v, rest, 3, Point.spin_lock)).toBe(second);
  });

  it('drops the running entity below every initial priority at a change point', () => {
    const v = controlledView({ strategy: 'pct', pctDepth: 2, seed: 4 });
    const change = v.i32[SCHED.CHANGES]!;
    const p = prios(v);
    const top = p.indexOf(Math.max(...p));
    v.i32[SCHED.LAST] = top;
    v.i32[SCHED.CHOICES] = change;
    expect(pctStrategy.pick(v, all(4), 4, Point.spin_lock)).not.toBe(top);
    expect(prios(v)[top]).toBe(1);
  });

  it('drops a poller to the bottom at cpu_relax, so it cannot starve what it waits for', () => {
    const v = controlledView({ strategy: 'pct', pctDepth: 1, seed: 4 });
    const p = prios(v);
    const top = p.indexOf(Math.max(...p));
    v.i32[SCHED.LAST] = top;
    expect(pctStrategy.pick(v, all(4), 4, Point.cpu_relax)).not.toBe(top);
    expect(prios(v)[top]).toBe(-1);
  });

  it('chooses at random past k real choices (a fair suffix)', () => {
    const v = controlledView({ strategy: 'pct', pctDepth: 1, pctSteps: 10, seed: 4 });
    v.i32[SCHED.CHOICES] = 11;
    const seen = new Set<number>();
    for (let k = 0; k < 100; k++) seen.add(pctStrategy.pick(v, all(4), 4, Point.spin_lock));
    expect(seen.size).toBe(4);
  });
});

describe('replay strategy', () => {
  const replayView = (decisions: number[]): SchedView =>
    prepare(
      'dmatest',
      { mode: 'controlled', channels: 1, iterations: 1 },
      { strategy: 'replay', decisions: Uint16Array.from(decisions) },
    ).view;

  it('picks the recorded entity of each choice', () => {
    const v = replayView([2, 0, 1, 2]);
    expect([0, 1, 2, 3].map(() => replayStrategy.pick(v, all(4), 4, Point.spin_lock))).toEqual([
      2, 0, 1, 2,
    ]);
    expect(v.i32[SCHED.DIVERGED]).toBe(0);
  });

  it('counts a recorded entity that cannot run as a divergence, and goes on', () => {
    const v = replayView([1, 2]);
    const e = replayStrategy.pick(v, Int32Array.of(0, 2), 2, Point.spin_lock);
    expect([0, 2]).toContain(e);
    expect(v.i32[SCHED.DIVERGED]).toBe(1);
    expect(replayStrategy.pick(v, Int32Array.of(0, 2), 2, Point.spin_lock)).toBe(2);
  });
});

describe('shrink strategy (a candidate schedule)', () => {
  const CPU0 = 0;
  const ENGINE = 1;

  /** A view following `list` by choice, then each actor's anchors [point, occ, entity, preempt]. */
  const shrinkView = (
    list: number[],
    anchors: [number, number, number, boolean][][],
  ): SchedView => {
    const buf = new Uint16Array(LIST_HEADER + list.length + RECORD * 8);
    buf[0] = list.length;
    buf.set(list, LIST_HEADER);
    const points = anchors.map((as) =>
      Int32Array.from([
        -1,
        0,
        ...as.flatMap(([p, occ, e, pre]) => [p, (occ << 16) | (pre ? PREEMPTED : 0) | e]),
      ]),
    );
    return prepare(
      'dmatest',
      { mode: 'controlled', channels: 1, iterations: 1 },
      { strategy: 'shrink', decisions: buf, points },
    ).view;
  };

  /** A choice among `enabled` after entity `last` ran, that actor having passed `point` points. */
  const pick = (v: SchedView, last: number, point: number, enabled: number[]): number => {
    v.i32[SCHED.CHOICES]!++;
    v.i32[SCHED.LAST] = last;
    v.i32[v.base[last >> 1]! + SCHED_ACTOR.POINTS] = point;
    return shrinkStrategy.pick(v, Int32Array.from(enabled), enabled.length, Point.spin_lock);
  };

  /** The records the run wrote back after a list of `listed` entries. */
  const records = (v: SchedView, listed: number): number[][] =>
    Array.from({ length: v.i32[SCHED.FOLLOWED]! }, (_, r) =>
      Array.from(
        v.replay!.subarray(
          LIST_HEADER + listed + RECORD * r,
          LIST_HEADER + listed + RECORD * (r + 1),
        ),
      ),
    );

  it('follows its list by choice, then its anchors, and writes back every other pick than running on', () => {
    const v = shrinkView([2, 0], [[], [[7, 0, 1, false]]]);
    // Listed: the engine preempts cpu0, then cpu0 preempts the engine.
    expect(pick(v, CPU0, 3, [0, 2])).toBe(2);
    expect(pick(v, 2, 5, [0, 2])).toBe(0);
    // Anchored: the engine blocked at its point 7, and cpu0's interrupts run, not the lowest.
    expect(pick(v, 2, 7, [0, 1])).toBe(1);
    // Neither listed nor anchored: the engine runs on.
    expect(pick(v, 2, 8, [0, 2])).toBe(2);
    expect(records(v, 2)).toEqual([
      [CPU0, 3, 0, 0, 2 | PREEMPTED],
      [ENGINE, 5, 0, 0, 0 | PREEMPTED],
      [ENGINE, 7, 0, 0, 1],
    ]);
    expect(v.i32[SCHED.DIVERGED]).toBe(0);
  });

  it('applies a preemption anchor only where the entity that ran can go on, another only where it cannot', () => {
    const v = shrinkView(
      [],
      [
        [
          [4, 0, 2, true],
          [6, 0, 1, false],
        ],
        [],
      ],
    );
    // cpu0 at its point 4 cannot go on: no preemption there; the lowest runs.
    expect(pick(v, CPU0, 4, [1, 2])).toBe(1);
    // cpu0 at its point 6 can go on: the forced anchor does not apply; it runs on.
    expect(pick(v, CPU0, 6, [0, 1, 2])).toBe(0);
    expect(records(v, 0)).toEqual([]);
  });

  it('tells the choices an actor makes at one point apart (a wait re-blocks)', () => {
    const v = shrinkView([], [[[4, 1, 2, true]], []]);
    expect(pick(v, CPU0, 4, [0, 2])).toBe(0);
    expect(pick(v, CPU0, 4, [0, 2])).toBe(2);
    expect(records(v, 0)).toEqual([[CPU0, 4, 0, 1, 2 | PREEMPTED]]);
  });

  it('counts an anchored entity that cannot run as a divergence, and runs on', () => {
    const v = shrinkView([], [[[4, 0, 2, true]], []]);
    expect(pick(v, CPU0, 4, [0, 1])).toBe(0);
    expect(v.i32[SCHED.DIVERGED]).toBe(1);
  });
});

describe('follow strategy (a free run recorded, replayed)', () => {
  /** Actor 0 recorded seqs 0 and 3 (then an irq at 4), actor 1 recorded seqs 1 and 2. */
  const followView = (): SchedView =>
    prepare(
      'dmatest',
      { mode: 'controlled', channels: 1, iterations: 1 },
      {
        strategy: 'follow',
        points: [
          Int32Array.of(0, Point['actor.start'], 3, Point.spin_lock, 4, Point['irq.take']),
          Int32Array.of(1, Point['actor.start'], 2, Point['engine.start']),
        ],
      },
    ).view;

  const passed = (v: SchedView, a: number, n: number): void => {
    v.i32[v.base[a]! + SCHED_ACTOR.POINTS] = n;
  };

  it("runs the actor whose next recorded point comes first, as its interrupts for 'irq.take'", () => {
    const v = followView();
    passed(v, 0, 1);
    passed(v, 1, 1);
    expect(followStrategy.pick(v, Int32Array.of(0, 2), 2, Point.spin_lock)).toBe(2);
    passed(v, 1, 2);
    expect(followStrategy.pick(v, Int32Array.of(0, 2), 2, Point.spin_lock)).toBe(0);
    passed(v, 0, 2);
    expect(followStrategy.pick(v, Int32Array.of(0, 1, 2), 3, Point.spin_lock)).toBe(1);
    expect(v.i32[SCHED.DIVERGED]).toBe(0);
  });

  it('counts a divergence when the recorded entity cannot run here', () => {
    const v = followView();
    passed(v, 0, 2);
    passed(v, 1, 2);
    expect(followStrategy.pick(v, Int32Array.of(0, 2), 2, Point.spin_lock)).toBe(0);
    expect(v.i32[SCHED.DIVERGED]).toBe(1);
  });
});
