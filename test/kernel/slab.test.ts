import { afterEach, describe, expect, it } from 'vitest';
import { prepare } from '../../src/host/prepare.js';
import { setCurrentActor, type ActorContext } from '../../src/kernel/current.js';
import {
  Gfp,
  formatKasanReport,
  kasanCheck,
  kfree,
  kmalloc,
  kzalloc,
} from '../../src/kernel/slab.js';

/** Makes this thread actor 2 of a prepared run, an engine (no CPU), at run time 7 ms. */
function attach(): ActorContext {
  const { machine } = prepare('locktorture', { writers: 2 });
  const ctx = { machine, index: 2, cpu: null, clock: { now: () => 7 }, dmesg: [] };
  setCurrentActor(ctx as unknown as ActorContext);
  return ctx as unknown as ActorContext;
}

afterEach(() => setCurrentActor(null));

describe('kmalloc / kfree', () => {
  it('records who allocated and freed an object, and KASAN reports a use after free', () => {
    attach();
    const p = kmalloc(48, Gfp.GFP_ATOMIC);
    kfree(p);

    const report = kasanCheck(p + 4, 4, true);

    expect(report?.kind).toBe('use-after-free');
    expect(report?.object).toMatchObject({
      addr: p,
      size: 48,
      state: 'quarantined',
      alloc: { actor: 2, context: 3, time: 7 },
      free: { actor: 2, context: 3, time: 7 },
    });
    expect(formatKasanReport(report!).slice(0, 2)).toEqual([
      `BUG: KASAN: use-after-free at addr 0x${(p + 4).toString(16).padStart(8, '0')}`,
      `Write of size 4 at addr 0x${(p + 4).toString(16).padStart(8, '0')}`,
    ]);
  });

  it('returns a double free and prints the KASAN report, never throwing', () => {
    const ctx = attach();
    const p = kzalloc(16);
    expect(kfree(p)).toBeNull();

    const fault = kfree(p);

    expect(fault?.kind).toBe('double-free');
    expect(ctx.dmesg[0]?.line).toBe(
      `BUG: KASAN: double-free in kfree at addr 0x${p.toString(16).padStart(8, '0')}`,
    );
    expect(ctx.dmesg.some((l) => l.line.startsWith('Freed by actor 2 (hardware)'))).toBe(true);
  });

  it('gives a valid access null and kfree(NULL) nothing to do', () => {
    attach();
    const p = kmalloc(100);

    expect([kasanCheck(p, 100, false), kfree(0)]).toEqual([null, null]);
  });
});
