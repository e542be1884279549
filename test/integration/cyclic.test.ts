import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import { EINVAL, ENOSYS, ENXIO, EPERM } from '../../src/kernel/errno.js';
import { DmaResidueGranularity, DmaStatus } from '../../src/dmaengine/types.js';
import { miniScenario, scenario } from '../fixtures/cyclic-probes.mjs';

afterAll(async () => {
  await shutdownActorPool();
});

type Probe = Record<string, unknown>;
async function probe(name: string, options: Record<string, unknown> = {}, s = scenario) {
  const r = await runScenario(s, {
    probe: name,
    channels: 2,
    seed: 1,
    deadline: 30_000,
    ...options,
  });
  return { r, p: r.results.probe as Probe };
}

describe('dmaengine_pause / dmaengine_resume', () => {
  it.each([1, 2, 3])(
    'stops a transfer mid-way with DMA_PAUSED and a frozen residue, loses nothing, resumes to completion (seed %i)',
    async (seed) => {
      const { r, p } = await probe('pause', { seed });
      expect(p).toEqual({
        started: true,
        pause: 0,
        paused: DmaStatus.DMA_PAUSED,
        frozen: true,
        midway: true,
        noLoss: true,
        pauseAgain: -EPERM,
        resume: 0,
        completed: true,
        equal: true,
        callbacks: 1,
      });
      expect(r.exitCode).toBe(0);
    },
  );

  it('returns -EPERM and reports resume-not-paused for a channel that is not paused', async () => {
    const { r, p } = await probe('resume-not-paused');
    expect(p).toEqual({ resume: -EPERM, pause: -EPERM });
    expect(r.violations.map((v) => [v.kind, v.rule])).toEqual([
      ['api-misuse', 'resume-not-paused'],
    ]);
    expect(r.exitCode).toBe(1);
  });

  it('returns -ENOSYS on a provider without device_pause/device_resume', async () => {
    const { r, p } = await probe('enosys', {}, miniScenario);
    // minidma is memcpy only: no DMA_SLAVE or DMA_CYCLIC, so no slave caps either.
    expect(p).toEqual({ pause: -ENOSYS, resume: -ENOSYS, caps: -ENXIO });
    expect(r.exitCode).toBe(0);
  });
});

describe('dma_get_slave_caps', () => {
  it('returns -EINVAL for NULL arguments, fills every field, and lets device_caps override a channel', async () => {
    const { r, p } = await probe('caps');
    const vdma = {
      srcAddrWidths: 0b10110,
      dstAddrWidths: 0b10110,
      directions: 0b110 | 0b1,
      minBurst: 1,
      maxBurst: 64,
      maxSgBurst: 8,
      cmdPause: true,
      cmdResume: true,
      cmdTerminate: true,
      residueGranularity: DmaResidueGranularity.DMA_RESIDUE_GRANULARITY_BURST,
      descriptorReuse: true,
    };
    expect(p).toEqual({
      nullChan: -EINVAL,
      nullCaps: -EINVAL,
      ret: 0,
      caps: vdma,
      caps0: vdma,
      caps1: { ...vdma, directions: 0b100, maxBurst: 8 },
    });
    expect(r.exitCode).toBe(0);
  });
});

describe('dmaengine_prep_dma_cyclic', () => {
  it('returns NULL unless buf_len is a multiple of period_len and the direction is slave', async () => {
    const { r, p } = await probe('cyclic-prep');
    expect(p).toEqual({ notMultiple: false, zeroPeriod: false, memToMem: false, good: true });
    expect(r.violations.map((v) => v.rule)).toEqual(['zero-length']);
  });

  it.each([1, 2, 3, 4])(
    'runs until terminated, coalesces periods into one callback and counts them, whole-period residue, no callback after terminate_sync (seed %i)',
    async (seed) => {
      const { r, p } = await probe('cyclic', { seed });
      expect(p).toMatchObject({
        running: DmaStatus.DMA_IN_PROGRESS,
        residuesWholePeriods: true,
        during: 0,
        statsCallbacks: true,
        bytesEqual: true,
        terminate: 0,
        callbacksAfterSync: 0,
        periodsAfterSync: 0,
      });
      expect(p.residuesSeen as number).toBeGreaterThan(1);
      // Three or more periods signalled with BH off: the tasklet's first run gives one
      // callback for all of them; every period without a callback of its own is counted.
      expect(p.signalled as number).toBeGreaterThanOrEqual(3);
      expect(p.callbacksAfter as number).toBeGreaterThanOrEqual(1);
      expect(p.coalesced).toBe((p.periods as number) - (p.callbacksAfter as number));
      expect(p.coalesced as number).toBeGreaterThanOrEqual((p.signalled as number) - 1);
      expect(r.exitCode).toBe(0);
    },
  );
});
