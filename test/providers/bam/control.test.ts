import { afterAll, describe, expect, it } from 'vitest';
import { DmaStatus, shutdownActorPool } from '../../../src/index.js';
import { scenario } from '../../fixtures/bam-probe.mjs';
import { probeResult } from '../../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

const probe = (name: string, options: Record<string, unknown> = {}) =>
  probeResult(scenario, name, options);

/** A 64-byte descriptor FIFO: 6 usable entries of 56 bytes; a 336-byte transfer fills it. */
const TINY = { descFifo: 64 };

describe('bam tx_status, pause and resume', () => {
  it('reports DMA_PAUSED with full residues while halted, DMA_COMPLETE after resume', async () => {
    const { r, p } = await probe('status', TINY);

    expect(p).toEqual({
      lenA: 336,
      lenB: 100,
      // Submitted, not issued: vchan_find_desc() searches desc_issued only.
      submitted: [
        { status: DmaStatus.DMA_IN_PROGRESS, residue: 0 },
        { status: DmaStatus.DMA_IN_PROGRESS, residue: 0 },
      ],
      pause: 0,
      paused: {
        // A fills the FIFO (its chunks' sizes), B waits on desc_issued (its length).
        a: { status: DmaStatus.DMA_PAUSED, residue: 336 },
        b: { status: DmaStatus.DMA_PAUSED, residue: 100 },
        // P_HALT: the hardware has not moved.
        swOffset: 0,
        tail: 6,
        callbacks: 0,
      },
      resume: 0,
      completed: true,
      order: [0, 1],
      after: [
        { status: DmaStatus.DMA_COMPLETE, residue: 0 },
        { status: DmaStatus.DMA_COMPLETE, residue: 0 },
      ],
      complete: DmaStatus.DMA_COMPLETE,
    });
    expect(r.violations).toEqual([]);
  });
});

describe('bam terminate_all', () => {
  it('resets the pipe and frees its descriptors without callbacks; the channel works after', async () => {
    const { r, p } = await probe('terminate', TINY);

    expect(p).toEqual({
      cookies: [2, 3],
      inFifo: true,
      terminated: 0,
      // bam_chan_init_hw(): one P_RST.
      reset: 1,
      freed: 0,
      // No device_synchronize: dmaengine_synchronize() has nothing to wait for.
      hasDeviceSynchronize: false,
      callbacksAfterTerminate: 0,
      lockedAfter: 0,
      cookie: 4,
      completed: true,
      order: [7],
      status: { status: DmaStatus.DMA_COMPLETE, residue: 0 },
      copied: true,
    });
    expect(r.violations).toEqual([]);
    expect(r.exitCode).toBe(0);
  });
});
