import { describe, it, expect } from 'vitest';
import { defineStruct } from '../../src/shm/struct.js';
import { defineLockClass, lockClassName } from '../../src/kernel/lock-class.js';
import { DmasimError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

describe('defineStruct', () => {
  it('derives word offsets from the fields in declaration order', () => {
    const S = defineStruct('test_offsets', {
      a: 'i32',
      lock: 'spinlock',
      buf: { array: 5 },
      wq: 'waitqueue',
      b: 'i32',
    });

    expect([{ ...S.off }, S.WORDS, S.BYTES]).toEqual([
      { a: 0, lock: 1, buf: 2, wq: 7, b: 8 },
      9,
      36,
    ]);
  });

  it('pads to an alignment and skips pad words', () => {
    const S = defineStruct('test_align', {
      host: 'i32',
      line: { align: 64 },
      dev: 'i32',
      gap: { pad: 3 },
      last: 'i32',
    });

    expect([S.off.host, S.off.dev, S.off.last, S.WORDS]).toEqual([0, 16, 20, 21]);
  });

  it('gives each lock field a lockdep class named after the struct and field', () => {
    const S = defineStruct('test_thread', {
      lock: 'spinlock',
      mtx: 'mutex',
      named: { spinlock: 'test_named_lock' },
      n: 'i32',
    });

    expect([
      lockClassName(S.lockClass.lock),
      lockClassName(S.lockClass.mtx),
      lockClassName(S.lockClass.named),
    ]).toEqual(['&test_thread->lock', '&test_thread->mtx', 'test_named_lock']);
    expect(S.lockClass.named).toBe(defineLockClass('test_named_lock'));
    expect(Object.keys(S.lockClass).sort()).toEqual(['lock', 'mtx', 'named']);
  });

  it('gives the same signature to the same declaration and another to a changed one', () => {
    const a = defineStruct('test_sig', { x: 'i32', y: 'i32' });
    const b = defineStruct('test_sig', { x: 'i32', y: 'i32' });
    const c = defineStruct('test_sig', { y: 'i32', x: 'i32' });
    const d = defineStruct('test_sig', { x: 'i32', y: { array: 2 } });

    expect(a.sig).toBe(b.sig);
    expect(new Set([a.sig, c.sig, d.sig]).size).toBe(3);
  });

  it.each([
    ['a negative array', { a: { array: -1 } }],
    ['a fractional pad', { a: { pad: 1.5 } }],
    ['an alignment that is not a power of two', { a: { align: 48 } }],
    ['an alignment below a word', { a: { align: 2 } }],
  ] as const)('refuses %s with DMASIM_BAD_OPTION', (_label, fields) => {
    const err = thrown(() => defineStruct('test_bad', fields));

    expect(err).toBeInstanceOf(DmasimError);
    expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
  });
});
