import { afterEach, describe, expect, it } from 'vitest';
import { prepare } from '../../src/host/prepare.js';
import { setCurrentActor, type ActorContext } from '../../src/kernel/current.js';
import { Gfp, kfree, kmalloc, kmallocCacheSize } from '../../src/kernel/slab.js';
import { kasanAccess, kasanCheckDma } from '../../src/kernel/kasan.js';
import type { StoredReport } from '../../src/kernel/report/report.js';

/** Records what trace() emits: the report events' string ids. */
interface Attached {
  ctx: ActorContext;
  reports: () => StoredReport[];
}

/** Makes this thread actor 2 of a prepared run, an engine (no CPU), at run time 7 ms. */
function attach(): Attached {
  const { machine } = prepare('locktorture', { writers: 2 });
  const ids: number[] = [];
  const emitter = {
    on: () => true,
    emit: (_code: number, _ctx: number, _type: number, id: number) => ids.push(id),
  };
  const ctx = {
    machine,
    index: 2,
    name: 'dma0',
    cpu: null,
    clock: { now: () => 7 },
    dmesg: [],
    emitter,
  } as unknown as ActorContext;
  setCurrentActor(ctx);
  return {
    ctx,
    reports: () => ids.map((id) => JSON.parse(machine.strings.text(id)!) as StoredReport),
  };
}

afterEach(() => setCurrentActor(null));

describe('KASAN reports', () => {
  it('reports an engine write into a freed object once, with its alloc and free records', () => {
    const { ctx, reports } = attach();
    const p = kmalloc(100, Gfp.GFP_ATOMIC);
    kfree(p);

    expect(kasanCheckDma(p + 32, 64, true, 'vdma_engine_transfer')).toBe(false);
    expect(kasanCheckDma(p + 40, 8, true, 'vdma_engine_transfer')).toBe(false);

    const [r, ...more] = reports();
    expect(more).toEqual([]);
    expect(r).toMatchObject({
      kind: 'use-after-free',
      where: 'vdma_engine_transfer',
      fields: { access: 'write', addr: p + 32, size: 64, object: p, freedBy: 2 },
    });
    const lines = ctx.dmesg.map((l) => l.line);
    expect(lines).toContain('BUG: KASAN: slab-use-after-free in vdma_engine_transfer');
    expect(lines.some((l) => l.startsWith('Allocated by actor 2 (hardware) at 7.000 ms'))).toBe(
      true,
    );
    expect(lines.some((l) => l.startsWith('Freed by actor 2 (hardware) at 7.000 ms'))).toBe(true);
    expect(lines.some((l) => l.includes('located 32 bytes inside of freed 100-byte region'))).toBe(
      true,
    );
    expect(lines.some((l) => l.endsWith('which belongs to the cache kmalloc-128'))).toBe(true);
  });

  it("names the kernel's kmalloc cache for the object's size", () => {
    expect(
      [1, 8, 9, 16, 17, 64, 65, 96, 97, 128, 129, 192, 193, 4096].map(kmallocCacheSize),
    ).toEqual([8, 8, 16, 16, 32, 64, 96, 96, 128, 128, 192, 192, 256, 4096]);
  });

  it('lets an engine touch live objects and memory kmalloc never gave out', () => {
    const { reports } = attach();
    const p = kmalloc(64, Gfp.GFP_ATOMIC);

    expect(kasanCheckDma(p, 64, true, 'engine')).toBe(true);
    // Test buffers carved out of the arena without kmalloc have no shadow to check.
    expect(kasanCheckDma(1 << 16, 4096, false, 'engine')).toBe(true);
    expect(reports()).toEqual([]);
  });

  it('reports a CPU read past the end of a live object as slab-out-of-bounds', () => {
    const { reports } = attach();
    const p = kmalloc(20, Gfp.GFP_ATOMIC);

    expect(kasanAccess(p + 16, 8, false, 'my_callback')).toBe(false);

    expect(reports()[0]).toMatchObject({ kind: 'slab-out-of-bounds', where: 'my_callback' });
  });
});
