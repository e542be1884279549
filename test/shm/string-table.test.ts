import { describe, expect, it } from 'vitest';
import { StringTable } from '../../src/shm/string-table.js';
import { OnceTable, ONCE_SLOTS } from '../../src/shm/once-table.js';

describe('StringTable', () => {
  it('names each string by an id another view of the buffer reads back', () => {
    const t = StringTable.create();
    const other = new StringTable(t.buffer);
    const a = t.intern('WARNING: ünïcode ✓');
    const b = t.intern('second');
    expect(other.text(a)).toBe('WARNING: ünïcode ✓');
    expect(other.text(b)).toBe('second');
    expect(t.intern('second')).toBe(b);
  });

  it('grows the shared buffer for a string past its first size', () => {
    const t = StringTable.create();
    const before = t.buffer.byteLength;
    const big = 'x'.repeat(before * 2);
    const id = t.intern(big);
    expect(t.buffer.byteLength).toBeGreaterThan(before);
    expect(new StringTable(t.buffer).text(id)).toBe(big);
  });

  it('returns -1 and counts the loss when a string does not fit, and reads -1 as null', () => {
    const t = StringTable.create();
    expect(t.intern('y'.repeat(32 * 1024 * 1024))).toBe(-1);
    expect(t.lost()).toBe(1);
    expect(t.text(-1)).toBeNull();
  });
});

describe('OnceTable', () => {
  it('says first once per key, to every view of the buffer', () => {
    const t = OnceTable.create();
    const other = new OnceTable(t.buffer);
    expect([t.first('a.js:1:1'), other.first('a.js:1:1'), t.first('a.js:2:1')]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('says first every time once every slot is taken', () => {
    const t = OnceTable.create();
    for (let i = 0; i < ONCE_SLOTS; i++) t.first(`site${i}`);
    expect([t.first('late'), t.first('late')]).toEqual([true, true]);
  });
});
