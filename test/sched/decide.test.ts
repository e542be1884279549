import { describe, expect, it } from 'vitest';
import { CONTROL, Phase } from '../../src/shm/control-block.js';
import { CPU } from '../../src/shm/cpu-struct.js';
import {
  ActorSchedState,
  Outcome,
  SCHED,
  SCHED_ACTOR,
  SCHED_DURATION_F64,
  SCHED_VNOW_F64,
} from '../../src/shm/sched-struct.js';
import { DECIDED_DEADLOCK, DECIDED_DONE, POINT_COST_MS, decide } from '../../src/sched/decide.js';
import { Point } from '../../src/sched/labels.js';
import type { Strategy } from '../../src/sched/strategies/strategy.js';
import { WaitFlag, WaitOp } from '../../src/sched/wait-spec.js';
import { blockOn, controlledView, setState } from './support.js';

/** A strategy that records what it was offered and picks the last entity offered. */
function spy(): Strategy & { offered: number[][] } {
  const offered: number[][] = [];
  return {
    offered,
    init: () => undefined,
    pick: (_v, enabled, n) => {
      offered.push(Array.from(enabled.subarray(0, n)));
      return enabled[n - 1]!;
    },
  };
}

/** A strategy that picks the given entities in turn. */
function script(...picks: number[]): Strategy {
  return { init: () => undefined, pick: () => picks.shift()! };
}

const CPU0 = 0;
const CPU0_IRQ = 1;
const ENGINE = 2;

describe('decide()', () => {
  it('offers every actor standing at a point and lets the strategy choose', () => {
    const v = controlledView();
    const s = spy();
    expect(decide(v, s, Point.spin_lock)).toBe(ENGINE);
    expect(s.offered).toEqual([[CPU0, ENGINE]]);
    expect(v.i32[SCHED.CHOICES]).toBe(1);
    expect(v.i32[SCHED.LAST]).toBe(ENGINE);
    expect(v.log[0]).toBe(ENGINE);
  });

  it('takes the only entity that can run without asking the strategy or logging a choice', () => {
    const v = controlledView();
    blockOn(v, 1);
    const s = spy();
    expect(decide(v, s, Point.spin_lock)).toBe(CPU0);
    expect(s.offered).toEqual([]);
    expect(v.i32[SCHED.CHOICES]).toBe(0);
    expect(v.i32[SCHED.STEPS]).toBe(1);
  });

  it("offers a CPU's interrupts as an entity of their own, only when they can be delivered", () => {
    const v = controlledView();
    const cb = v.cpuBase[0]!;
    v.cpus[cb + CPU.IRQ_PENDING] = 1;
    const s = spy();
    decide(v, s, Point.spin_lock);
    expect(s.offered[0]).toEqual([CPU0, CPU0_IRQ, ENGINE]);
    v.cpus[cb + CPU.IRQ_DISABLED] = 1;
    decide(v, s, Point.spin_lock);
    expect(s.offered[1]).toEqual([CPU0, ENGINE]);
  });

  it('lets a blocked CPU take interrupts only when its wait is interruptible', () => {
    const v = controlledView();
    v.cpus[v.cpuBase[0]! + CPU.IRQ_PENDING] = 1;
    blockOn(v, 0, { flags: 0 });
    expect(decide(v, spy(), Point.spin_lock)).toBe(ENGINE);
    blockOn(v, 0, { flags: WaitFlag.INTERRUPTIBLE });
    const s = spy();
    decide(v, s, Point.spin_lock);
    expect(s.offered[0]).toEqual([CPU0_IRQ, ENGINE]);
  });

  it.each([
    ['its condition word holds', WaitOp.EQ, 0, true],
    ['its condition word does not hold', WaitOp.EQ, 5, false],
    ['a GE counter is reached', WaitOp.GE, 0, true],
    ['a MASK_CLEAR mask is set', WaitOp.MASK_CLEAR, 0, true],
  ])('can run a blocked actor when %s', (_, op, value, runs) => {
    const v = controlledView();
    blockOn(v, 0, { buf: 0, index: CONTROL.FAILED, op, value });
    setState(v, 1, ActorSchedState.EXITED);
    expect(decide(v, spy(), Point.spin_lock)).toBe(runs ? CPU0 : DECIDED_DEADLOCK);
  });

  it('can run a blocked actor once its WAKE word moved past what it saw', () => {
    const v = controlledView();
    blockOn(v, 0);
    setState(v, 1, ActorSchedState.EXITED);
    v.i32[v.base[0]! + SCHED_ACTOR.WAKE]! += 1;
    expect(decide(v, spy(), Point.spin_lock)).toBe(CPU0);
  });

  it('advances the clock a step per point, and jumps it to the next deadline when all wait', () => {
    const v = controlledView();
    decide(v, spy(), Point.spin_lock);
    expect(v.vnow()).toBeCloseTo(POINT_COST_MS, 9);
    blockOn(v, 0, { deadline: 5000 });
    blockOn(v, 1, { deadline: 7000 });
    expect(decide(v, spy(), Point.msleep)).toBe(CPU0);
    expect(v.vnow()).toBe(5000);
  });

  it('reports an exact deadlock when nothing can run and nothing has a deadline', () => {
    const v = controlledView();
    blockOn(v, 0);
    blockOn(v, 1);
    expect(decide(v, spy(), Point['lock.wait'])).toBe(DECIDED_DEADLOCK);
    expect(v.i32[SCHED.OUTCOME]).toBe(Outcome.DEADLOCK);
  });

  it('ends the schedule when every actor exited', () => {
    const v = controlledView();
    setState(v, 0, ActorSchedState.EXITED);
    setState(v, 1, ActorSchedState.EXITED);
    expect(decide(v, spy(), Point['actor.exit'])).toBe(DECIDED_DONE);
    expect(v.i32[SCHED.OUTCOME]).toBe(Outcome.DONE);
  });

  it('counts a preemption only where the entity that ran could have gone on', () => {
    const v = controlledView();
    const cb = v.cpuBase[0]!;
    // [entity picked, what is done before the step, preemptions after it]
    const steps: [number, () => void, number][] = [
      // The first choice has no entity that ran before it.
      [ENGINE, () => undefined, 0],
      // The engine could go on: picking cpu0 preempts it.
      [CPU0, () => undefined, 1],
      // cpu0 goes on.
      [CPU0, () => undefined, 1],
      // cpu0 blocked (interruptibly, an irq pending): picking the engine is forced.
      [
        ENGINE,
        () => (
          (v.cpus[cb + CPU.IRQ_PENDING] = 1),
          blockOn(v, 0, { flags: WaitFlag.INTERRUPTIBLE })
        ),
        1,
      ],
      // cpu0 at a point again: its interrupts preempt the engine.
      [CPU0_IRQ, () => setState(v, 0, ActorSchedState.READY), 2],
      // Inside the handler cpu0's code goes on: no preemption.
      [CPU0, () => undefined, 2],
      // The engine preempts cpu0.
      [ENGINE, () => undefined, 3],
    ];
    for (const [pick, before, preemptions] of steps) {
      before();
      expect(decide(v, script(pick), Point.spin_lock)).toBe(pick);
      expect(v.i32[SCHED.PREEMPTIONS]).toBe(preemptions);
    }
    expect(v.i32[SCHED.CHOICES]).toBe(steps.length);
  });

  it('starts the stop phase itself when the virtual clock reaches --duration', () => {
    const v = controlledView({ duration: 2 });
    expect(v.f64[SCHED_DURATION_F64]).toBe(2);
    Atomics.store(v.control, CONTROL.PHASE, Phase.RUNNING);
    v.f64[SCHED_VNOW_F64] = 1.9985;
    decide(v, spy(), Point.spin_lock);
    expect(Atomics.load(v.control, CONTROL.PHASE)).toBe(Phase.RUNNING);
    decide(v, spy(), Point.spin_lock);
    expect(Atomics.load(v.control, CONTROL.PHASE)).toBe(Phase.STOPPING);
  });
});
