import { afterAll, describe, expect, it } from 'vitest';
import { shutdownActorPool } from '../../../src/index.js';
import { EINVAL, EOPNOTSUPP } from '../../../src/kernel/errno.js';
import { BamCommandType } from '../../../src/providers/bam/qcom-bam-dma.js';
import { DescFlag } from '../../../src/providers/bam/regs.js';
import { scenario } from '../../fixtures/bam-probe.mjs';
import { probeResult } from '../../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

const probe = (name: string, options: Record<string, unknown> = {}) =>
  probeResult(scenario, name, options);

const { CMD, LOCK, UNLOCK, NWD, EOT, INT } = DescFlag;

/** One request as the client queues it: four command elements, the data (NWD), the RESULT read. */
const CLIENT = [
  { size: 16, flags: CMD },
  { size: 16, flags: CMD },
  { size: 16, flags: CMD },
  { size: 16, flags: CMD },
  { size: 256, flags: NWD },
  { size: 16, flags: CMD | EOT },
];

describe('bam pipe-lock bracket', () => {
  it('puts LOCK first, the client descriptors in order, then UNLOCK last in the FIFO', async () => {
    const { r, p } = await probe('request');
    const issued = p.issued as Record<string, unknown>;

    expect(issued.fifo).toEqual([
      { size: 16, flags: CMD | LOCK },
      ...CLIENT.slice(0, 5),
      { size: 16, flags: CMD | EOT },
      // Nothing follows UNLOCK: bam_start_dma() asks for an interrupt there.
      { size: 16, flags: CMD | UNLOCK | INT },
    ]);
    // Both ends are the pipe's own command elements: a write of 0 to the scratchpad.
    expect([issued.firstAddr, issued.lastAddr]).toEqual([p.lockCe, p.unlockCe]);
    expect(p.lockCeWords).toEqual([p.scratchpad, BamCommandType.BAM_WRITE_COMMAND, 0]);
    expect(p.unlockCeWords).toEqual([p.scratchpad, BamCommandType.BAM_WRITE_COMMAND]);
    expect(r.violations).toEqual([]);
  });

  it('clears bam_locked once UNLOCK is in the FIFO (v21), not before', async () => {
    const whole = await probe('request');
    // A 64-byte FIFO holds 6 descriptors: UNLOCK (the 8th) waits on desc_issued.
    const tiny = await probe('request', { descFifo: 64 });

    expect((whole.p.issued as Record<string, unknown>).locked).toBe(0);
    expect((tiny.p.issued as Record<string, unknown>).locked).toBe(1);
    expect([tiny.p.completed, tiny.p.lockedAfter, tiny.p.locks]).toEqual([true, 0, 1]);
  });

  it('takes the engine for the EE and gives it back: one lock, a correct digest', async () => {
    const { r, p } = await probe('request');

    expect(p).toMatchObject({
      completed: true,
      idle: true,
      digestsOk: [true],
      bytes: 256,
      locks: 1,
      lockedAfter: 0,
      lockOwner: 0,
      qce: { lockEe: 0, jobs: 1, busyWrites: 0, aborts: 0 },
    });
    expect(r.exitCode).toBe(0);
  });

  it.each([
    ['without metadata', { meta: false }, [null]],
    ['on a BAM without pipe locking', { pipeLock: false }, [0]],
  ])('adds no bracket %s', async (_what, options, attach) => {
    const { r, p } = await probe('request', options);

    expect((p.issued as Record<string, unknown>).fifo).toEqual(CLIENT);
    expect(p).toMatchObject({ attach, completed: true, digestsOk: [true], locks: 0 });
    expect(r.exitCode).toBe(0);
  });

  it('brackets requests issued together once, completing them in order', async () => {
    const { r, p } = await probe('request', { requests: 2 });

    expect(p).toMatchObject({ callbacks: 2, order: [0, 1], digestsOk: [true, true], locks: 1 });
    expect(r.exitCode).toBe(0);
  });
});

describe('bam lock descriptors and cookies', () => {
  it('consume no cookie and raise no callback (v20 on)', async () => {
    const { r, p } = await probe('request');

    expect(p.submitted).toEqual([2, 3, 4]);
    expect(p.before).toEqual({ cookie: 1, completed: 1 });
    // Exactly the client's three submits.
    expect(p.after).toEqual({ cookie: 4, completed: 4 });
    expect(p.callbacks).toBe(1);
    expect(r.stats.callbacks).toBe(1);
    expect(r.violations).toEqual([]);
  });

  it('with cookies (v19) complete outside the cookie window', async () => {
    const { r, p } = await probe('request', { cookieLockDesc: true });

    // LOCK and UNLOCK took cookies 5 and 6 at issue; LOCK completed first.
    expect(p.after).toEqual({ cookie: 6, completed: 6 });
    expect(p.callbacks).toBe(1);
    expect(r.violations[0]).toMatchObject({
      kind: 'cookie-window',
      chan: 0,
      cookie: 2,
      completed: 5,
      used: 6,
    });
    expect(new Set(r.violations.map((v) => v.kind))).toEqual(new Set(['cookie-window']));
  });
});

describe('bam metadata attach', () => {
  it.each([
    ['with pipe locking', {}, { nullData: -EINVAL, attach: 0, stored: true }],
    [
      'without pipe locking (v14 on)',
      { pipeLock: false },
      { nullData: -EINVAL, attach: 0, stored: false },
    ],
    [
      'without pipe locking, v12/v13',
      { pipeLock: false, attachEnotsupp: true },
      { nullData: -EINVAL, attach: -EOPNOTSUPP, stored: false },
    ],
  ])('returns what bam_metadata_attach() returns %s', async (_what, options, want) => {
    const { p } = await probe('attach', options);

    expect({
      nullData: p.nullData,
      attach: p.attach,
      stored: p.scratchpad === p.wanted && p.direction === 1,
    }).toEqual(want);
  });
});
