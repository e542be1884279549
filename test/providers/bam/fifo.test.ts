import { afterAll, describe, expect, it } from 'vitest';
import { shutdownActorPool } from '../../../src/index.js';
import { DescFlag } from '../../../src/providers/bam/regs.js';
import { scenario } from '../../fixtures/bam-probe.mjs';
import { probeResult } from '../../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

const probe = (name: string, options: Record<string, unknown> = {}) =>
  probeResult(scenario, name, options);

const { CMD, NWD, EOT, INT } = DescFlag;

/** A 64-byte descriptor FIFO: 7 ring entries, 6 usable at once, 56 bytes per descriptor. */
const TINY = { descFifo: 64 };

describe('bam_prep_slave_sg', () => {
  it('splits buffers into BAM_FIFO_SIZE chunks, refuses more than 16, sets CMD on every chunk', async () => {
    const { r, p } = await probe('prep', TINY);

    expect(p).toMatchObject({
      chunk: 56,
      cmd: [
        { size: 56, flags: CMD },
        { size: 56, flags: CMD },
        { size: 56, flags: CMD },
        { size: 32, flags: CMD },
      ],
      // FENCE and INTERRUPT wait for the last descriptor to be written into the FIFO.
      fenceInterrupt: [
        { size: 56, flags: 0 },
        { size: 56, flags: 0 },
        { size: 56, flags: 0 },
        { size: 32, flags: 0 },
      ],
      sgEntries: [
        { size: 56, flags: 0 },
        { size: 44, flags: 0 },
        { size: 20, flags: 0 },
      ],
      sixteen: true,
      seventeen: false,
      seventeenEntries: false,
      memToMem: false,
    });
    expect(r.violations).toEqual([]);
  });

  it.each([
    ['FENCE | INTERRUPT', 'fifoFenceInterrupt', [0, 0, 0, NWD | EOT]],
    // No EOT: bam_start_dma() asks for an interrupt at the last descriptor instead.
    ['FENCE', 'fifoFence', [0, 0, 0, NWD | INT]],
    ['CMD | INTERRUPT', 'fifoCmdInterrupt', [CMD, CMD, CMD | EOT]],
  ])('puts %s flags on the last hardware descriptor only', async (_what, key, flags) => {
    const { p } = await probe('prep', TINY);
    const run = p[key] as { done: boolean; fifo: { flags: number }[] };

    expect(run.done).toBe(true);
    expect(run.fifo.map((e) => e.flags)).toEqual(flags);
    expect(p.windowHoldsLastChunk).toBe(true);
  });
});

describe('bam_start_dma with a full FIFO', () => {
  it('copies a transfer in parts and finishes it from the head of desc_issued', async () => {
    // LOCK, 4 commands, 16 data chunks, RESULT read, UNLOCK: 23 descriptors through 6 entries.
    const { r, p } = await probe('request', { ...TINY, len: 896 });
    const issued = p.issued as { tail: number; fifo: { size: number; flags: number }[] };

    // What fitted at issue: LOCK, the commands, the first data chunk (an interrupt there).
    expect(issued.tail).toBe(6);
    expect(issued.fifo[5]).toEqual({ size: 56, flags: INT });
    expect(p).toMatchObject({
      completed: true,
      callbacks: 1,
      order: [0],
      bytes: 896,
      digestsOk: [true],
      after: { cookie: 4, completed: 4 },
      locks: 1,
      lockedAfter: 0,
    });
    expect(r.violations).toEqual([]);
  });

  // bam_dma.c's own behaviour, reproduced: while a transfer is only partly in the FIFO (its
  // remainder waits on desc_list, not desc_issued), an earlier transfer's interrupt runs the
  // work handler, which restarts the pipe because desc_issued is not empty and the FIFO has
  // room: the RESULT read and UNLOCK are copied behind the partial transfer's first part.
  // Its remainder comes last, in a second lock bracket, and the RESULT read sees a job not
  // yet done. Upstream it needs over 4094 descriptors in flight; a 64-byte FIFO shows it.
  it('lets a later transfer overtake the rest of one copied in parts, as bam_dma.c does', async () => {
    const { r, p } = await probe('request', { ...TINY, len: 448, requests: 2 });

    expect(p).toMatchObject({ completed: true, callbacks: 2, digestsOk: [true, false] });
    expect(p.locks).toBeGreaterThan(1);
    expect(r.exitCode).toBe(1);
  });
});

describe('bam slave config', () => {
  it('writes the device-global BAM_DESC_CNT_TRSHLD when the next descriptor starts', async () => {
    const { r, p } = await probe('trshld', { burst: 16 });

    expect(p).toEqual({
      // bam_reset() sets 4.
      initial: 4,
      'chan0.config': 4,
      'chan0.submit': 4,
      'chan0.issue': 16,
      'chan1.config': 16,
      'chan1.submit': 16,
      'chan1.issue': 32,
      // chan0 has no new config: chan1's threshold stays, for every pipe.
      'chan0.again': 32,
    });
    expect(r.exitCode).toBe(0);
  });
});
