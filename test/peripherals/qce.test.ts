import { afterAll, describe, expect, it } from 'vitest';
import { shutdownActorPool } from '../../src/index.js';
import { QceStatus } from '../../src/peripherals/qce/regs.js';
import { scenario } from '../fixtures/bam-probe.mjs';
import { probeResult } from '../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

const probe = (name: string, options: Record<string, unknown> = {}) =>
  probeResult(scenario, name, options);

describe('qce register decoder', () => {
  it('reports a config register written while a job runs, and the write lands', async () => {
    const { r, p } = await probe('mmio-busy');

    expect(p).toEqual({
      idle: { busyWrites: 0, status: 0 },
      running: { jobLen: 64, status: QceStatus.BUSY },
      busyWrites: 1,
      key: 0x22,
      // The running job latched the key it started with.
      jobKey: 0x11,
    });
    expect(r.violations.map((v) => v.kind)).toEqual(['register-write-while-busy']);
    expect(r.violations[0]).toMatchObject({ device: 'qce0', reg: 'KEY', ee: 0 });
  });

  it('reports an access nothing answers as a bus error, and does not make it', async () => {
    const { r, p } = await probe('bus-error');

    expect(p).toEqual({ past: -1, word0x10: 0 });
    expect(r.violations.map((v) => v.kind)).toEqual(['bus-error', 'bus-error', 'bus-error']);
    expect(r.violations[0]).toMatchObject({ addr: 0x10, ee: 0 });
  });

  it("refuses another EE's accesses while the pipe lock holds it, and lets them in after UNLOCK", async () => {
    const { r, p } = await probe('mmio-lock');

    expect(p).toEqual({
      lockEe: 1,
      keyAfterRefused: 0x10,
      readRefused: -1,
      abortsLocked: 2,
      keyByHolder: 0x30,
      lockEeAfter: 0,
      keyAfterUnlock: 0x40,
      aborts: 2,
    });
    expect(r.violations.map((v) => v.kind)).toEqual(['lock-violation', 'lock-violation']);
    expect(r.violations[0]).toMatchObject({ device: 'qce0', reg: 'KEY', ee: 1, holder: 0 });
  });

  it("refuses a CPU write by EE 1 while EE 0's LOCK descriptor holds the engine", async () => {
    const { r } = await probe('cross-ee', { ees: 2, qceRate: 1 });

    expect(r.results.probes).toEqual([
      { completed: true, digestOk: true },
      { locked: true, keyKept: true },
    ]);
    expect(r.violations.map((v) => v.kind)).toEqual(['lock-violation']);
    expect(r.violations[0]).toMatchObject({ reg: 'KEY', ee: 1, holder: 0, actor: 'cpu1' });
  });
});
