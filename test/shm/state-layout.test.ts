import { describe, it, expect } from 'vitest';
import { defineStruct } from '../../src/shm/struct.js';
import { declareState, layoutState, stateEnd } from '../../src/shm/state-layout.js';
import { ARENA_RESERVED } from '../../src/shm/arena.js';
import { DmasimError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

const INFO = declareState('t.info', defineStruct('t_info', { run: 'i32' }), 'machine');
const THREAD = declareState(
  't.thread',
  defineStruct('t_thread', { lock: 'spinlock', data: { array: 20 } }),
  'machine',
);
const PER_CPU = declareState('t.cpu', defineStruct('t_cpu', { n: 'i32' }), 'cpu');
const PER_CHAN = declareState('t.chan', defineStruct('t_chan', { n: 'i32' }), 'channel');
const PER_DEV = declareState('t.dev', defineStruct('t_dev', { n: 'i32' }), 'device');
const COUNTS = { cpus: 3, devices: 2, channels: 4 };

describe('layoutState', () => {
  it('lays out each state on its own cache lines after the NULL page, in order', () => {
    const { entries, bytes } = layoutState([INFO, { decl: THREAD, count: 2 }, PER_CPU], COUNTS);

    expect(entries).toEqual([
      { name: 't.info', addr: 4096, stride: 64, count: 1, sig: INFO.struct.sig },
      { name: 't.thread', addr: 4160, stride: 128, count: 2, sig: THREAD.struct.sig },
      { name: 't.cpu', addr: 4416, stride: 64, count: 3, sig: PER_CPU.struct.sig },
    ]);
    expect([bytes, stateEnd(entries)]).toEqual([4608 - ARENA_RESERVED, 4608]);
  });

  it('counts per-CPU, per-device and per-channel state from the run', () => {
    const { entries } = layoutState([PER_CPU, PER_DEV, PER_CHAN], COUNTS);

    expect(entries.map((e) => e.count)).toEqual([3, 2, 4]);
  });

  it('gives the same layout for the same uses', () => {
    const uses = [INFO, { decl: THREAD, count: 5 }, PER_CHAN];

    expect(layoutState(uses, COUNTS)).toEqual(layoutState(uses, COUNTS));
  });

  it('lays out a state listed twice with the same struct once, with the larger count', () => {
    const { entries } = layoutState(
      [{ decl: THREAD, count: 2 }, INFO, { decl: THREAD, count: 4 }],
      COUNTS,
    );

    expect(entries.map((e) => [e.name, e.count])).toEqual([
      ['t.thread', 4],
      ['t.info', 1],
    ]);
  });

  it('has nothing to lay out for no state', () => {
    expect(layoutState([], COUNTS)).toEqual({ entries: [], bytes: 0 });
  });

  it.each([
    [
      'a name declared with another struct',
      [INFO, declareState('t.info', defineStruct('t_other', { x: 'i32' }), 'machine')],
    ],
    ['a name declared with another per', [INFO, declareState('t.info', INFO.struct, 'cpu')]],
    ['a fractional count', [{ decl: THREAD, count: 1.5 }]],
    ['a negative count', [{ decl: THREAD, count: -1 }]],
    ['a count for per-CPU state that is not the CPU count', [{ decl: PER_CPU, count: 7 }]],
  ] as const)('refuses %s with DMASIM_BAD_OPTION', (_label, uses) => {
    const err = thrown(() => layoutState(uses, COUNTS));

    expect(err).toBeInstanceOf(DmasimError);
    expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
  });
});
