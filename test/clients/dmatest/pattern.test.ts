import { describe, it, expect } from 'vitest';
import {
  MAX_ERROR_COUNT,
  PATTERN_COPY,
  PATTERN_COUNT_MASK,
  PATTERN_DST,
  PATTERN_MEMSET_IDX,
  PATTERN_OVERWRITE,
  PATTERN_SRC,
  dmatestErrorsSuppressedLine,
  dmatestInitDsts,
  dmatestInitSrcs,
  dmatestVerify,
  dmatestVerifyAll,
} from '../../../src/clients/dmatest/pattern.js';

const T = 'dma0chan0-copy0';

/** An arena of `size` bytes of 0xaa, so that writes outside the test buffer show. */
function arena(size: number): Uint8Array {
  return new Uint8Array(size).fill(0xaa);
}

function collect(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

describe('pattern constants', () => {
  it('match the kernel values', () => {
    expect([
      PATTERN_SRC,
      PATTERN_DST,
      PATTERN_COPY,
      PATTERN_OVERWRITE,
      PATTERN_COUNT_MASK,
      PATTERN_MEMSET_IDX,
      MAX_ERROR_COUNT,
    ]).toEqual([0x80, 0x00, 0x40, 0x20, 0x1f, 0x01, 32]);
  });
});

describe('dmatestInitSrcs', () => {
  it('fills outside and inside the copy range with the inverted index, only at base', () => {
    const buf = arena(14);
    dmatestInitSrcs(buf, 3, 2, 3, 8, false);
    expect([...buf]).toEqual([
      0xaa, 0xaa, 0xaa, 0x9f, 0x9e, 0xdd, 0xdc, 0xdb, 0x9a, 0x99, 0x98, 0xaa, 0xaa, 0xaa,
    ]);
  });

  it('wraps the counter bits every 32 bytes', () => {
    const buf = new Uint8Array(40);
    dmatestInitSrcs(buf, 0, 0, 0, 40, false);
    expect([buf[0], buf[31], buf[32], buf[33]]).toEqual([0x9f, 0x80, 0x9f, 0x9e]);
  });

  it('uses the memset index for every byte of a memset test', () => {
    const buf = arena(10);
    dmatestInitSrcs(buf, 1, 2, 3, 8, true);
    expect([...buf]).toEqual([0xaa, 0x9e, 0x9e, 0xde, 0xde, 0xde, 0x9e, 0x9e, 0x9e, 0xaa]);
  });
});

describe('dmatestInitDsts', () => {
  it('fills outside and inside the overwrite range with the inverted index', () => {
    const buf = arena(10);
    dmatestInitDsts(buf, 1, 2, 3, 8, false);
    expect([...buf]).toEqual([0xaa, 0x1f, 0x1e, 0x3d, 0x3c, 0x3b, 0x1a, 0x19, 0x18, 0xaa]);
  });

  it('uses the memset index for every byte of a memset test', () => {
    const buf = arena(10);
    dmatestInitDsts(buf, 1, 2, 3, 8, true);
    expect([...buf]).toEqual([0xaa, 0x1e, 0x1e, 0x3e, 0x3e, 0x3e, 0x1e, 0x1e, 0x1e, 0xaa]);
  });
});

/** src at 0, dst at 16 of one arena; bufSize 8, src_off 1, dst_off 3, len 2. */
function setup(isMemset: boolean): { buf: Uint8Array; run: () => [number, string[]] } {
  const buf = arena(32);
  dmatestInitSrcs(buf, 0, 1, 2, 8, isMemset);
  dmatestInitDsts(buf, 16, 3, 2, 8, isMemset);
  const run = (): [number, string[]] => {
    const { lines, log } = collect();
    const n = dmatestVerifyAll({
      src: buf,
      srcBase: 0,
      dst: buf,
      dstBase: 16,
      srcOff: 1,
      dstOff: 3,
      len: 2,
      bufSize: 8,
      isMemset,
      threadName: T,
      log,
    });
    return [n, lines];
  };
  return { buf, run };
}

describe('dmatestVerifyAll', () => {
  it('finds no error after a correct copy', () => {
    const { buf, run } = setup(false);
    buf.copyWithin(16 + 3, 1, 1 + 2);
    expect(run()).toEqual([0, []]);
  });

  it('finds no error after a correct memset from src[src_off]', () => {
    const { buf, run } = setup(true);
    buf.fill(buf[1]!, 16 + 3, 16 + 3 + 2);
    expect(run()).toEqual([0, []]);
  });

  it('reports an overwritten source byte', () => {
    const { buf, run } = setup(false);
    buf.copyWithin(16 + 3, 1, 1 + 2);
    buf[6] = 0x00;
    expect(run()).toEqual([1, [`${T}: srcbuf[0x6] overwritten! Expected 99, got 00`]]);
  });

  it('reports every byte of a transfer that did not happen as not copied', () => {
    const { run } = setup(false);
    expect(run()).toEqual([
      2,
      [
        `${T}: dstbuf[0x3] not copied! Expected de, got 3c`,
        `${T}: dstbuf[0x4] not copied! Expected dd, got 3b`,
      ],
    ]);
  });

  it('reports a source byte outside the range as was copied', () => {
    const { buf, run } = setup(false);
    buf.copyWithin(16 + 3, 1, 1 + 2);
    buf[16 + 5] = buf[5]!;
    expect(run()).toEqual([1, [`${T}: dstbuf[0x5] was copied! Expected 1a, got 9a`]]);
  });

  it('reports swapped copied bytes and a wrong counter outside as mismatch', () => {
    const { buf, run } = setup(false);
    buf[16 + 3] = buf[2]!;
    buf[16 + 4] = buf[1]!;
    buf[16 + 0] = 0x1e;
    expect(run()).toEqual([
      3,
      [
        `${T}: dstbuf[0x0] mismatch! Expected 1f, got 1e`,
        `${T}: dstbuf[0x3] mismatch! Expected de, got dd`,
        `${T}: dstbuf[0x4] mismatch! Expected dd, got de`,
      ],
    ]);
  });

  it('caps each of the six verify calls at 32 lines plus its own suppressed line', () => {
    const buf = new Uint8Array(200);
    dmatestInitSrcs(buf, 0, 10, 50, 100, false);
    dmatestInitDsts(buf, 100, 10, 50, 100, false);
    buf.copyWithin(110, 10, 60);
    buf.fill(0, 0, 100);
    const { lines, log } = collect();
    const n = dmatestVerifyAll({
      src: buf,
      srcBase: 0,
      dst: buf,
      dstBase: 100,
      srcOff: 10,
      dstOff: 10,
      len: 50,
      bufSize: 100,
      isMemset: false,
      threadName: T,
      log,
    });
    const line = (i: number): string => {
      const expected = (i < 10 || i >= 60 ? 0x80 : 0xc0) | (~i & 0x1f);
      return `${T}: srcbuf[0x${i.toString(16)}] overwritten! Expected ${expected.toString(16)}, got 00`;
    };
    const range = (from: number, to: number): string[] =>
      Array.from({ length: to - from }, (_v, k) => line(from + k));
    expect(n).toBe(100);
    expect(lines).toEqual([
      ...range(0, 10),
      ...range(10, 42),
      `${T}: 18 errors suppressed`,
      ...range(60, 92),
      `${T}: 8 errors suppressed`,
    ]);
    expect(lines[10]).toBe(`${T}: srcbuf[0xa] overwritten! Expected d5, got 00`);
  });
});

describe('dmatestVerify', () => {
  it('logs only while the call-wide count is below MAX_ERROR_COUNT', () => {
    const buf = new Uint8Array(8);
    const { lines, log } = collect();
    expect(dmatestVerify(buf, 0, 0, 5, 0, PATTERN_SRC, true, false, 30, log, T)).toBe(5);
    expect(lines).toEqual([
      `${T}: srcbuf[0x0] overwritten! Expected 9f, got 00`,
      `${T}: srcbuf[0x1] overwritten! Expected 9e, got 00`,
    ]);
  });

  it('checks from base with the given counter, not the index', () => {
    const buf = arena(12);
    buf.set([0xdd, 0xdc, 0xdb], 4);
    const { lines, log } = collect();
    expect(
      dmatestVerify(buf, 2, 2, 5, 2, PATTERN_SRC | PATTERN_COPY, false, false, 0, log, T),
    ).toBe(0);
    expect(lines).toEqual([]);
  });
});

describe('dmatestErrorsSuppressedLine', () => {
  it('returns the count beyond 32 or null', () => {
    expect([
      dmatestErrorsSuppressedLine(T, 0),
      dmatestErrorsSuppressedLine(T, 32),
      dmatestErrorsSuppressedLine(T, 33),
      dmatestErrorsSuppressedLine(T, 40),
    ]).toEqual([null, null, `${T}: 1 errors suppressed`, `${T}: 8 errors suppressed`]);
  });
});
