import { afterAll, describe, expect, it } from 'vitest';
import { prepare } from '../../src/host/prepare.js';
import { STATE_LOCK_BASE, stateLockId, stateOf } from '../../src/kernel/state.js';
import { chanLockId, lockClassName } from '../../src/kernel/lock-class.js';
import { KMutex } from '../../src/kernel/mutex.js';
import { WAIT_BUFFERS, wordRef } from '../../src/sched/wait-spec.js';
import { defineStruct } from '../../src/shm/struct.js';
import { declareState } from '../../src/shm/state-layout.js';
import { ARENA_RESERVED } from '../../src/shm/arena.js';
import { TORTURE, TORTURE_STRUCT } from '../../src/clients/locktorture/torture.js';
import { STREAM } from '../../src/clients/memcpy-stream/stream.js';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import type { TortureResult } from '../../src/clients/locktorture/torture.js';
import { DmasimError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

afterAll(async () => {
  await shutdownActorPool();
});

describe('stateOf', () => {
  it('finds a declared state where the host laid it out, zeroed', () => {
    const { machine } = prepare('locktorture', { writers: 2 });

    const t = stateOf(machine, TORTURE).at(0);

    expect([t.addr, t.base, machine.spec.state]).toEqual([
      ARENA_RESERVED,
      ARENA_RESERVED / 4,
      [
        {
          name: 'locktorture',
          addr: ARENA_RESERVED,
          stride: 64,
          count: 1,
          sig: TORTURE_STRUCT.sig,
        },
      ],
    ]);
    // The controllers' hardware words follow the declared state; allocations come after.
    const dev = machine.spec.devices[0]!;
    expect(dev.regs * 4).toBe(ARENA_RESERVED + 64);
    expect([t.get('counter'), t.load('ops'), machine.arena.used()]).toEqual([
      0,
      0,
      ARENA_RESERVED + machine.spec.hwBytes,
    ]);
  });

  it('reads and writes the fields through the arena words', () => {
    const { machine } = prepare('locktorture', { writers: 2 });
    const t = stateOf(machine, TORTURE).at(0);

    t.set('counter', 5);
    t.add('counter', 2);
    t.store('ops', 9);

    expect([machine.arena.words[t.base + TORTURE_STRUCT.off.counter], t.addrOf('ops')]).toEqual([
      7,
      ARENA_RESERVED + 4 * TORTURE_STRUCT.off.ops,
    ]);
    expect(t.cmpxchg('ops', 9, 10)).toBe(9);
    expect(t.get('ops')).toBe(10);
  });

  it("gives a lock field's lock an id from its address and the declared class", () => {
    const { machine } = prepare('locktorture', { writers: 2 });
    const t = stateOf(machine, TORTURE).at(0);

    const lock = t.spinlock('lock');
    const mutex = t.mutex('lock');

    expect([lock.id, lock.classId, lockClassName(lock.classId)]).toEqual([
      stateLockId(ARENA_RESERVED),
      TORTURE_STRUCT.lockClass.lock,
      'torture_lock',
    ]);
    expect(mutex).toBeInstanceOf(KMutex);
    expect([mutex.id, mutex.index, t.spinlock('lock') === lock]).toEqual([
      lock.id,
      lock.index,
      true,
    ]);
  });

  it('puts lock ids above every channel lock id', () => {
    expect(chanLockId((1 << 22) - 1, 2)).toBeLessThan(STATE_LOCK_BASE);
    expect(stateLockId(ARENA_RESERVED)).toBeGreaterThan(chanLockId((1 << 22) - 1, 2));
    expect(stateLockId(0x7fff0000 - 4)).toBeLessThan(2 ** 31);
  });

  it('names its lock and wait words in the arena buffer the scheduler knows', () => {
    const { machine } = prepare('memcpy-stream', { controllers: 1, channels: 3 });
    const st = stateOf(machine, STREAM);

    const refs = [0, 1, 2].map((c) => st.at(c).waitQueue('wq'));

    expect(refs.map((q) => wordRef(machine.waitBuffers, q.words, q.index))).toEqual(
      [0, 1, 2].map((c) => ({
        buf: WAIT_BUFFERS.indexOf('arena'),
        index: st.at(c).i('wq'),
      })),
    );
    expect(st.count).toBe(3);
  });

  it('refuses a state the plan did not declare, or declared with another struct', () => {
    const { machine } = prepare('locktorture', { writers: 2 });
    const other = declareState('t.undeclared', defineStruct('t_x', { a: 'i32' }), 'machine');
    const renamed = declareState('locktorture', defineStruct('t_y', { a: 'i32' }), 'machine');

    const errs = [thrown(() => stateOf(machine, other)), thrown(() => stateOf(machine, renamed))];

    expect(errs.map((e) => (e as DmasimError).code)).toEqual([
      'DMASIM_BAD_OPTION',
      'DMASIM_BAD_OPTION',
    ]);
  });

  it('refuses an instance the run does not have', () => {
    const { machine } = prepare('locktorture', { writers: 2 });

    expect(thrown(() => stateOf(machine, TORTURE).at(1))).toBeInstanceOf(RangeError);
  });
});

describe('declared state under contention on real CPUs', () => {
  it.each([
    ['free', { mode: 'free' }],
    ['controlled', { mode: 'controlled', seed: 3 }],
  ])(
    'keeps a counter exact under its declared spinlock from 4 worker threads (%s)',
    async (_label, mode) => {
      const r = await runScenario('locktorture', {
        writers: 4,
        iterations: 1500,
        deadline: 30_000,
        ...mode,
      });

      expect(r.exitCode).toBe(0);
      const writers = r.results.writers as TortureResult[];
      // Every CPU read the same word: the same final count, the sum of every CPU's ops.
      expect(writers.map((w) => [w.ops, w.counter])).toEqual(Array(4).fill([1500, 6000]));
    },
  );
});
