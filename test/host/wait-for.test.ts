import { describe, it, expect } from 'vitest';
import { cycleKey, describeCycle, waitCycle, type LockWait } from '../../src/host/wait-for.js';

/** `cpu` blocked on lock `lock` (of class &vc->lock unless told), owned by `owner`. */
function wait(cpu: number, owner: number, lock = 100 + owner, sleeping = false): LockWait {
  return { cpu, lock, lockClass: '&vc->lock', owner, sleeping };
}

describe('waitCycle', () => {
  it('finds nothing when no CPU waits', () => {
    const cycle = waitCycle([]);

    expect(cycle).toBeNull();
  });

  it('finds a cycle of one when a CPU waits on a lock it owns itself', () => {
    const self = wait(0, 0);

    const cycle = waitCycle([self]);

    expect(cycle).toEqual([self]);
  });

  it('finds a cycle of two: cpu0 waits on cpu1, cpu1 waits on cpu0', () => {
    const w0 = wait(0, 1);
    const w1 = wait(1, 0);

    const cycle = waitCycle([w0, w1]);

    expect(cycle).toEqual([w0, w1]);
  });

  it('finds nothing in a chain that ends at a running CPU', () => {
    const waits = [wait(0, 1), wait(2, 0)];

    const cycle = waitCycle(waits);

    expect(cycle).toBeNull();
  });

  it('finds nothing for a wait on a lock that has no owner right now', () => {
    const cycle = waitCycle([wait(0, -1)]);

    expect(cycle).toBeNull();
  });

  it('returns only the members of a cycle that a chain leads into', () => {
    const tail = wait(2, 0);
    const w0 = wait(0, 1);
    const w1 = wait(1, 3);
    const w3 = wait(3, 0);

    const cycle = waitCycle([tail, w0, w1, w3]);

    expect(cycle).toEqual([w0, w1, w3]);
  });

  it('returns a self-wait that a chain leads into, without the chain', () => {
    const tail = wait(1, 0);
    const self = wait(0, 0);

    const cycle = waitCycle([tail, self]);

    expect(cycle).toEqual([self]);
  });
});

describe('cycleKey', () => {
  it('is the same for one cycle found from different starting CPUs', () => {
    const w0 = wait(0, 1);
    const w1 = wait(1, 2);
    const w2 = wait(2, 0);
    const fromCpu0 = waitCycle([w0, w1, w2])!;
    const fromCpu2 = waitCycle([w2, w0, w1])!;

    const keys = [cycleKey(fromCpu0), cycleKey(fromCpu2)];

    expect(fromCpu2).not.toEqual(fromCpu0);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toBe('0:101:1,1:102:2,2:100:0');
  });

  it('differs when a CPU of the cycle waits on another lock', () => {
    const before = cycleKey([wait(0, 1, 7), wait(1, 0, 8)]);

    const after = cycleKey([wait(0, 1, 9), wait(1, 0, 8)]);

    expect(after).not.toBe(before);
  });
});

describe('describeCycle', () => {
  it("says 'itself' for a CPU waiting on its own lock", () => {
    const text = describeCycle([wait(0, 0, 4)]);

    expect(text).toBe('  cpu0 spins on &vc->lock (lock 4), held by cpu0 itself');
  });

  it('prints one line per wait, spinning or sleeping', () => {
    const cycle: LockWait[] = [
      wait(0, 1, 4),
      { cpu: 1, lock: 9, lockClass: '&chan->mutex', owner: 0, sleeping: true },
    ];

    const text = describeCycle(cycle);

    expect(text).toBe(
      [
        '  cpu0 spins on &vc->lock (lock 4), held by cpu1',
        '  cpu1 sleeps on &chan->mutex (lock 9), held by cpu0',
      ].join('\n'),
    );
  });
});
