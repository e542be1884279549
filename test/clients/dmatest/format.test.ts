import { describe, it, expect } from 'vitest';
import {
  dmatestDbgResultLine,
  dmatestKBs,
  dmatestPersec,
  dmatestResultLine,
  dmatestSummaryLine,
  dmatestThreadName,
  taskComm,
} from '../../../src/clients/dmatest/format.js';

const T = 'dma0chan0-copy0';

describe('dmatestResultLine', () => {
  it('formats offsets and length in hex and the data in decimal', () => {
    expect(dmatestResultLine(T, 1, 'data error', 0x7bf, 0x8ad, 0x3fea, 5)).toBe(
      `${T}: result #1: 'data error' with src_off=0x7bf dst_off=0x8ad len=0x3fea (5)`,
    );
  });

  it('prints an errno signed and any other negative value as an unsigned long', () => {
    expect([
      dmatestResultLine(T, 2, 'unmap data NULL', 0, 0, 0x10, -12),
      dmatestResultLine(T, 3, 'prep error', 0, 0, 0x10, -5000),
    ]).toEqual([
      `${T}: result #2: 'unmap data NULL' with src_off=0x0 dst_off=0x0 len=0x10 (-12)`,
      `${T}: result #3: 'prep error' with src_off=0x0 dst_off=0x0 len=0x10 (18446744073709546616)`,
    ]);
  });
});

describe('dmatestDbgResultLine', () => {
  it('always prints the data as an unsigned long', () => {
    expect([
      dmatestDbgResultLine(T, 1, 'test passed', 0x10, 0x20, 0x30, 0),
      dmatestDbgResultLine(T, 1, 'test passed', 0x10, 0x20, 0x30, -12),
    ]).toEqual([
      `${T}: result #1: 'test passed' with src_off=0x10 dst_off=0x20 len=0x30 (0)`,
      `${T}: result #1: 'test passed' with src_off=0x10 dst_off=0x20 len=0x30 (18446744073709551604)`,
    ]);
  });
});

describe('dmatestPersec', () => {
  it('returns the rate in 8-bit fixed point', () => {
    expect([dmatestPersec(1000, 1), dmatestPersec(7, 3), dmatestPersec(970_000n, 1)]).toEqual([
      256_000n,
      109_714_285n,
      263n,
    ]);
  });

  it('returns 0 for a zero or negative runtime', () => {
    expect([dmatestPersec(0, 5), dmatestPersec(-1, 5)]).toEqual([0n, 0n]);
  });

  it('doubles per_sec while halving a runtime above UINT_MAX, as the kernel does', () => {
    // 2^32 us -> runtime 2^31, per_sec 2e6: 2e6 * 10000 * 256 / 2^31 = 2384, 4x the true 596 (2.32 iops).
    expect(dmatestPersec(2 ** 32, 10_000)).toBe(2384n);
  });
});

describe('dmatestKBs', () => {
  it('returns whole KiB per second', () => {
    expect([dmatestKBs(1000, 100 * 1024), dmatestKBs(7, 3000), dmatestKBs(0, 4096)]).toEqual([
      100_000n,
      285_714n,
      0n,
    ]);
  });

  it('wraps the KiB count at 32 bits', () => {
    expect([dmatestKBs(1000, 2 ** 42), dmatestKBs(1000, 2 ** 42 + 1000 * 1024)]).toEqual([
      0n,
      1_000_000n,
    ]);
  });
});

describe('dmatestSummaryLine', () => {
  it('reports 1 test of 100 KiB in 1000 us', () => {
    expect(dmatestSummaryLine(T, 1, 0, 1000, 100 * 1024, 0)).toBe(
      `${T}: summary 1 tests, 0 failures 1000.00 iops 100000 KB/s (0)`,
    );
  });

  it('truncates the iops fraction to hundredths', () => {
    expect(dmatestSummaryLine(T, 3, 1, 7, 3000, 0)).toBe(
      `${T}: summary 3 tests, 1 failures 428571.42 iops 285714 KB/s (0)`,
    );
  });

  it('pads the iops fraction to two digits', () => {
    expect(dmatestSummaryLine(T, 1, 0, 970_000, 1024, 0)).toBe(
      `${T}: summary 1 tests, 0 failures 1.02 iops 1 KB/s (0)`,
    );
  });

  it('prints zero rates and the error code for a zero runtime', () => {
    expect(dmatestSummaryLine(T, 0, 0, 0, 0, -12)).toBe(
      `${T}: summary 0 tests, 0 failures 0.00 iops 0 KB/s (-12)`,
    );
  });

  it('keeps the kernel rate for runtimes above UINT_MAX', () => {
    expect(dmatestSummaryLine(T, 10_000, 0, 2 ** 32, 0, 0)).toBe(
      `${T}: summary 10000 tests, 0 failures 9.31 iops 0 KB/s (0)`,
    );
  });
});

describe('dmatestThreadName', () => {
  it('names the thread channel-op-index', () => {
    expect([
      dmatestThreadName('dma0chan0', 'copy', 0),
      dmatestThreadName('dma1chan3', 'set', 2),
    ]).toEqual(['dma0chan0-copy0', 'dma1chan3-set2']);
  });
});

describe('taskComm', () => {
  it('truncates to TASK_COMM_LEN - 1 characters', () => {
    expect([taskComm('dma0chan0-copy0'), taskComm('dma0chan10-copy0')]).toEqual([
      'dma0chan0-copy0',
      'dma0chan10-copy',
    ]);
  });
});
