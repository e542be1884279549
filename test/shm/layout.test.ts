import { describe, it, expect } from 'vitest';
import { alignUp, defineLayout, type Layout } from '../../src/shm/layout.js';
import { CHAN } from '../../src/shm/channel-struct.js';
import { IRQ, TASKLET } from '../../src/shm/irq-struct.js';
import { HW_RING_SIZE, VREG } from '../../src/providers/vdma/hw-regs.js';
import { MAX_SEGMENTS, VDESC } from '../../src/providers/vdma/vdesc.js';
import { SCHED, SCHED_ACTOR } from '../../src/shm/sched-struct.js';
import { DESC, DESC_EXT_WORDS, POOL } from '../../src/shm/descriptor-pool.js';
import { CPU, MAX_HELD_LOCKS } from '../../src/shm/cpu-struct.js';
import { ACTOR, CONTROL, CONTROL_EPOCH_F64 } from '../../src/shm/control-block.js';
import { RING } from '../../src/shm/event-ring.js';
import { ARENA_HEADER } from '../../src/shm/arena.js';

/** A layout's fields (without WORDS/BYTES) sorted by offset, each with the words it spans. */
function fieldSpans(layout: Layout<string>): { name: string; offset: number; span: number }[] {
  const fields = Object.entries(layout)
    .filter(([name]) => name !== 'WORDS' && name !== 'BYTES')
    .sort((a, b) => a[1] - b[1]);
  return fields.map(([name, offset], i) => ({
    name,
    offset,
    span: (fields[i + 1]?.[1] ?? layout.WORDS) - offset,
  }));
}

describe('defineLayout', () => {
  it('assigns one word per field in declaration order', () => {
    const layout = defineLayout(['A', 'B', 'C']);

    expect({ ...layout }).toEqual({ A: 0, B: 1, C: 2, WORDS: 3, BYTES: 12 });
  });

  it('places array fields after the scalar fields, each spanning its word count', () => {
    const layout = defineLayout(['A', 'B'], { X: 3, Y: 5, Z: 1 });

    expect({ ...layout }).toEqual({ A: 0, B: 1, X: 2, Y: 5, Z: 10, WORDS: 11, BYTES: 44 });
  });

  it.each([
    { names: ['A'], align: 16, words: 16 },
    { names: ['A', 'B', 'C', 'D'], align: 4, words: 4 },
    { names: ['A', 'B', 'C', 'D', 'E'], align: 4, words: 8 },
    { names: ['A', 'B', 'C'], align: 1, words: 3 },
    { names: [], align: 16, words: 0 },
  ])('pads $names.length fields to $words words at alignment $align', ({ names, align, words }) => {
    const layout = defineLayout(names, {}, align);

    expect([layout.WORDS, layout.BYTES]).toEqual([words, words * 4]);
  });

  it('counts array words before padding', () => {
    const layout = defineLayout(['A'], { ARR: 16 }, 16);

    expect({ ...layout }).toEqual({ A: 0, ARR: 1, WORDS: 32, BYTES: 128 });
  });

  it('returns a frozen object', () => {
    const layout = defineLayout(['A'], { ARR: 2 }, 4);

    expect(Object.isFrozen(layout)).toBe(true);
    expect(() => {
      (layout as { A: number }).A = 7;
    }).toThrow(TypeError);
    expect(layout.A).toBe(0);
  });
});

describe('alignUp', () => {
  it.each([
    [0, 8, 0],
    [1, 8, 8],
    [7, 8, 8],
    [8, 8, 8],
    [9, 8, 16],
    [4096, 4096, 4096],
    [4097, 4096, 8192],
    [5, 1, 5],
    [3, 2, 4],
    [100, 64, 128],
  ])('rounds %i up to a multiple of %i as %i', (n, align, expected) => {
    expect(alignUp(n, align)).toBe(expected);
  });
});

describe('shared-memory layouts', () => {
  const layouts: [string, Layout<string>, number][] = [
    ['CHAN', CHAN, 16],
    ['IRQ', IRQ, 16],
    ['TASKLET', TASKLET, 16],
    ['VREG', VREG, 16],
    ['SCHED', SCHED, 16],
    ['SCHED_ACTOR', SCHED_ACTOR, 16],
    ['DESC', DESC, 16],
    ['POOL', POOL, 16],
    ['CPU', CPU, 16],
    ['CONTROL', CONTROL, 16],
    ['ACTOR', ACTOR, 4],
    ['RING', RING, 16],
    ['ARENA_HEADER', ARENA_HEADER, 16],
  ];

  it.each(layouts)('%s has no two fields at the same offset', (_name, layout) => {
    const offsets = fieldSpans(layout).map((f) => f.offset);

    expect(new Set(offsets).size).toBe(offsets.length);
  });

  it.each(layouts)('%s has every field inside WORDS', (_name, layout) => {
    const spans = fieldSpans(layout);

    for (const f of spans) {
      expect(f.offset, f.name).toBeGreaterThanOrEqual(0);
      expect(f.offset, f.name).toBeLessThan(layout.WORDS);
      expect(f.span, f.name).toBeGreaterThanOrEqual(1);
    }
  });

  it.each(layouts)('%s is padded to %i words and BYTES = WORDS * 4', (_name, layout, align) => {
    expect(layout.WORDS % align).toBe(0);
    expect(layout.BYTES).toBe(layout.WORDS * 4);
  });

  it.each([
    ['VREG.HW_RING', VREG, 'HW_RING', HW_RING_SIZE],
    ['DESC.EXT', DESC, 'EXT', DESC_EXT_WORDS],
    ['CPU.HELD', CPU, 'HELD', MAX_HELD_LOCKS],
    ['CONTROL.EPOCH', CONTROL, 'EPOCH', 2],
  ] as [string, Layout<string>, string, number][])(
    '%s spans at least %i words with no field inside it',
    (_label, layout, field, words) => {
      const span = fieldSpans(layout).find((f) => f.name === field);

      expect(span?.span).toBeGreaterThanOrEqual(words);
      expect(span!.offset + words).toBeLessThanOrEqual(layout.WORDS);
    },
  );

  it('puts CONTROL.EPOCH on an 8-byte boundary for its Float64 view', () => {
    expect(CONTROL.EPOCH % 2).toBe(0);
    expect(CONTROL_EPOCH_F64 * 2).toBe(CONTROL.EPOCH);
  });

  it("fits vdma's descriptor in the provider's words of a slot", () => {
    expect(VDESC.SEGMENTS + MAX_SEGMENTS * 3).toBeLessThanOrEqual(DESC.EXT + DESC_EXT_WORDS);
    expect(DESC.EXT + DESC_EXT_WORDS).toBe(DESC.WORDS);
  });

  it('puts RING.HEAD and RING.TAIL on different 64-byte lines', () => {
    expect(Math.floor(RING.HEAD / 16)).not.toBe(Math.floor(RING.TAIL / 16));
  });

  /** The 64-byte lines (16 words each) that a layout's fields touch. */
  const lines = (layout: Layout<string>, fields: readonly string[]): number[] =>
    fields.flatMap((f) => {
      const span = fieldSpans(layout).find((s) => s.name === f);
      if (!span) throw new Error(`no field ${f}`);
      const first = Math.floor(span.offset / 16);
      const last = Math.floor((span.offset + span.span - 1) / 16);
      return Array.from({ length: last - first + 1 }, (_, i) => first + i);
    });

  const VREG_DRIVER = ['CFG_GEN', 'CFG_SRC_ADDR', 'DRV_DONE'];
  const VREG_HW_DRIVER = ['HW_TAIL', 'HW_RESET_REQ', 'HW_RESET_TAIL'];
  const VREG_HW_ENGINE = ['HW_HEAD', 'HW_ACTIVE', 'HW_PROGRESS', 'HW_RESET_ACK'];

  it.each([
    ['VREG driver words', VREG, VREG_DRIVER, 'driver registers', VREG_HW_DRIVER],
    ['VREG driver words', VREG, VREG_DRIVER, 'engine registers', VREG_HW_ENGINE],
    ['VREG driver registers', VREG, VREG_HW_DRIVER, 'engine registers', VREG_HW_ENGINE],
    ['VREG engine registers', VREG, VREG_HW_ENGINE, 'HW_RING', ['HW_RING']],
    [
      'DESC CPU words',
      DESC,
      ['STATE', 'NEXT', 'COOKIE', 'CALLBACK'],
      'hardware-read words',
      ['FLAGS', 'LEN', 'EXT'],
    ],
    ['CPU local words', CPU, ['CONTEXT', 'HELD_COUNT', 'HELD'], 'remote words', ['IRQ_PENDING']],
    [
      'SCHED header',
      SCHED,
      ['MODE', 'TOKEN', 'CHOICES', 'VNOW', 'CHANGES'],
      'free-mode counters',
      ['POINT_SEQ', 'AWAKE'],
    ],
    ['SCHED POINT_SEQ', SCHED, ['POINT_SEQ'], 'AWAKE', ['AWAKE']],
    ['CONTROL state words', CONTROL, ['PHASE', 'FAILED', 'EPOCH'], 'EVENT_SEQ', ['EVENT_SEQ']],
    [
      'CONTROL EVENT_SEQ',
      CONTROL,
      ['EVENT_SEQ'],
      'host sleep flag',
      ['HOST_SLEEPING', 'HOST_DOORBELL'],
    ],
    [
      'CONTROL state words',
      CONTROL,
      ['PHASE', 'FAILED', 'EPOCH'],
      'host sleep flag',
      ['HOST_SLEEPING'],
    ],
    ['RING HEAD', RING, ['HEAD'], 'TAIL', ['TAIL']],
  ] as [string, Layout<string>, string[], string, string[]][])(
    'keeps %s off the 64-byte lines of the %s',
    (_a, layout, a, _b, b) => {
      const shared = lines(layout, a).filter((l) => lines(layout, b).includes(l));

      expect(shared).toEqual([]);
    },
  );
});
