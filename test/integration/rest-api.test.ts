import { afterAll, describe, expect, it } from 'vitest';
import { DmaStatus, shutdownActorPool, type DmaInterleavedTemplate } from '../../src/index.js';
import { EINVAL, ENOTSUPP } from '../../src/kernel/errno.js';
import { scenario } from '../fixtures/rest-probe.mjs';
import { probeResult } from '../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

/** Probe `name` of the fixture, controlled, seed 1 (see runProbe()). */
const probe = (name: string, options: Record<string, unknown> = {}) =>
  probeResult(scenario, name, options);

describe('descriptor metadata', () => {
  it("returns dmaengine.c's errnos", async () => {
    const { r, p } = await probe('metadata-errnos');
    expect(p).toEqual({
      nullAttach: -EINVAL,
      nullGet: -EINVAL,
      nullSetLen: -EINVAL,
      // A memcpy descriptor of vdma has no metadata ops.
      memcpyAttach: -ENOTSUPP,
      // vdma refuses a client buffer too small for its completion record.
      shortAttach: -EINVAL,
      attach: 0,
      // One descriptor, two modes.
      mixedGet: -EINVAL,
      mixedSetLen: -EINVAL,
      enginePtr: { payloadLen: 0, maxLen: 64 },
      longSetLen: -EINVAL,
      setLen: 0,
      mixedAttach: -EINVAL,
      after: 8,
    });
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['client', { attach: 0, get: -ENOTSUPP, setLen: -ENOTSUPP }],
    ['engine', { attach: -ENOTSUPP, get: 0, setLen: 0 }],
    ['none', { attach: -ENOTSUPP, get: -ENOTSUPP, setLen: -ENOTSUPP }],
  ])('a controller advertising %s metadata refuses the other mode', async (metadata, want) => {
    const { p } = await probe('metadata-modes', { metadata });
    expect(p).toEqual(want);
  });

  it('client mode: the completion record lands in the attached buffer', async () => {
    const { r, p } = await probe('metadata-client');
    expect(p).toEqual({ attach: 0, completed: true, cookie: 2, record: [0, 48, 2] });
    expect(r.exitCode).toBe(0);
  });

  it("engine mode: the provider's buffer holds the record while the callback runs", async () => {
    const { p } = await probe('metadata-engine');
    expect(p).toEqual({
      before: { payloadLen: 0, maxLen: 64 },
      completed: true,
      cookie: 2,
      meta: [16, 64, 0, 48, 2],
    });
  });
});

/** What a template does to a destination of 0xee bytes: the model of the test. */
function expected(xt: Omit<DmaInterleavedTemplate, 'srcStart' | 'dstStart'>, src: number[]) {
  const dst = new Array<number>(512).fill(0xee);
  let s = 0;
  let d = 0;
  for (let f = 0; f < xt.numf; f++) {
    for (const c of xt.sgl) {
      for (let i = 0; i < c.size; i++) dst[d + i] = src[s + i]!;
      s += c.size + (c.srcIcg || (xt.srcSgl ? c.icg : 0));
      d += c.size + (c.dstIcg || (xt.dstSgl ? c.icg : 0));
    }
  }
  return dst;
}

describe('interleaved transfers', () => {
  const base = { dir: 0, srcInc: true, dstInc: true } as const;
  it.each([
    [
      'gaps on both sides',
      {
        ...base,
        srcSgl: true,
        dstSgl: true,
        numf: 3,
        sgl: [
          { size: 16, icg: 4 },
          { size: 8, icg: 0, dstIcg: 24, srcIcg: 2 },
        ],
      },
    ],
    [
      'a gather into contiguous bytes',
      { ...base, srcSgl: true, dstSgl: false, numf: 4, sgl: [{ size: 10, icg: 6 }] },
    ],
    [
      'a scatter from contiguous bytes',
      { ...base, srcSgl: false, dstSgl: true, numf: 2, sgl: [{ size: 32, icg: 32 }] },
    ],
  ])('%s: bytes land where the template says, gaps untouched', async (_name, xt) => {
    const { r, p } = await probe('interleaved', { xt: JSON.stringify(xt) });
    expect(p.prepared).toBe(true);
    expect(p.completed).toBe(true);
    expect(p.dst).toEqual(expected(xt, p.src as number[]));
    expect(r.exitCode).toBe(0);
  });

  it("returns NULL where the wrapper or vdma's fixed descriptor says so", async () => {
    const { p } = await probe('interleaved-refused');
    expect(p).toEqual({
      plain: true,
      // vdma advertises neither DMA_REPEAT nor DMA_LOAD_EOT.
      repeat: false,
      loadEot: false,
      devToMem: false,
      fixedSrc: false,
      // 9 separate chunks need 9 segments; a descriptor holds 8.
      tooManySegments: false,
      eightSegments: true,
      // Contiguous chunks merge into one segment.
      merged: true,
    });
  });
});

describe('async_tx dependencies', () => {
  it.each([1, 2, 3, 4])(
    'a descriptor chained on another channel runs when its parent completes (seed %i)',
    async (seed) => {
      const { r, p } = await probe('deps', { channels: 2, seed });
      expect(p).toEqual({
        chained: true,
        stateBefore: 1,
        completed: true,
        statusB: DmaStatus.DMA_COMPLETE,
        order: [0, 1],
        copied: true,
      });
      expect(r.exitCode).toBe(0);
    },
  );

  it('also in free mode', async () => {
    const { p } = await probe('deps', { channels: 2, mode: 'free' });
    expect(p).toMatchObject({ completed: true, copied: true, order: [0, 1] });
  });
});

describe('DMA_PREP_FENCE', () => {
  it.each([1, 2, 3, 4, 5])(
    'with a read-ahead pipeline, B->C reads stale B unless A->B is fenced (seed %i)',
    async (seed) => {
      const stale = await probe('fence', { pipeline: true, seed });
      expect(stale.p).toEqual({ completed: true, ab: true, ac: false });
      const fenced = await probe('fence', { pipeline: true, fence: true, seed });
      expect(fenced.p).toEqual({ completed: true, ab: true, ac: true });
    },
  );

  it('without the pipeline the chain is correct either way, in free mode too', async () => {
    for (const mode of ['controlled', 'free']) {
      const { p } = await probe('fence', { mode });
      expect(p).toEqual({ completed: true, ab: true, ac: true });
    }
    const { p } = await probe('fence', { mode: 'free', pipeline: true });
    expect(p).toEqual({ completed: true, ab: true, ac: false });
  });
});
