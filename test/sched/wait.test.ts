import { describe, expect, it } from 'vitest';
import { SCHED } from '../../src/shm/sched-struct.js';
import { WaitPolicy } from '../../src/sched/wait-policy.js';
import { WAIT_BUFFERS, WaitOp, opHolds, wordRef } from '../../src/sched/wait-spec.js';
import { thrown } from '../support/thrown.js';

describe('opHolds', () => {
  it.each([
    [WaitOp.EQ, 0, 0, true],
    [WaitOp.EQ, 1, 0, false],
    [WaitOp.NE, 1, 0, true],
    [WaitOp.GE, 5, 5, true],
    [WaitOp.GE, 4, 5, false],
    // A wrapping counter: 0x80000000 is past 0x7fffffff.
    [WaitOp.GE, -0x80000000, 0x7fffffff, true],
    [WaitOp.MASK_CLEAR, 0b100, 0b011, true],
    [WaitOp.MASK_CLEAR, 0b110, 0b011, false],
    [WaitOp.NEVER, 0, 0, false],
  ])('op %i: word %i against %i is %s', (op, word, value, holds) => {
    expect(opHolds(word, op, value)).toBe(holds);
  });
});

describe('wordRef', () => {
  const views = WAIT_BUFFERS.map(() => new Int32Array(new SharedArrayBuffer(256)));

  it('names a word by its buffer and absolute index, through any view of the buffer', () => {
    const sub = new Int32Array(views[3]!.buffer, 16 * 4, 8);
    expect(wordRef(views, sub, 2)).toEqual({ buf: 3, index: 18 });
  });

  it('refuses a word outside the machine: no other thread could read it', () => {
    const err = thrown(() => wordRef(views, new Int32Array(4), 0)) as Error;
    expect(err.message).toMatch(/must live in shared machine memory/);
  });
});

describe('WaitPolicy', () => {
  const sched = (): Int32Array => new Int32Array(new SharedArrayBuffer(SCHED.BYTES));

  it('spins up to 0.2 ms while spins pay', () => {
    const p = new WaitPolicy(sched(), 2);
    expect(p.spinMs()).toBe(0.2);
    p.ended(0.2, true);
    expect(p.spinMs()).toBe(0.2);
  });

  it('halves its trust each time a spin runs out, down to sleeping at once, with rare probes', () => {
    const p = new WaitPolicy(sched(), 2);
    p.ended(0.2, false);
    expect(p.spinMs()).toBe(0.1);
    for (let i = 0; i < 10; i++) p.ended(p.spinMs(), false);
    const spins = Array.from({ length: 64 }, () => p.spinMs());
    expect(spins.filter((s) => s > 0)).toEqual([0.01, 0.01]);
  });

  it('earns its trust back, spin by spin, once spins pay again', () => {
    const p = new WaitPolicy(sched(), 2);
    for (let i = 0; i < 12; i++) p.ended(0.2, false);
    const budgets: number[] = [];
    for (let i = 0; i < 6; i++) {
      p.ended(0.01, true);
      budgets.push(p.spinMs());
    }
    expect(budgets).toEqual([0.02, 0.04, 0.08, 0.16, 0.2, 0.2]);
  });

  it('never spins while the awake actor threads already fill the cores', () => {
    const s = sched();
    const p = new WaitPolicy(s, 2);
    s[SCHED.AWAKE] = 3;
    expect(p.spinMs()).toBe(0);
    s[SCHED.AWAKE] = 2;
    expect(p.spinMs()).toBeGreaterThan(0);
  });
});
