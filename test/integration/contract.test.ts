import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import { DmaStatus, DmaengineTxResult } from '../../src/dmaengine/types.js';
import { scenario } from '../fixtures/contract-scenario.mjs';

afterAll(async () => {
  await shutdownActorPool();
});

type Probe = Record<string, unknown>;

/** Runs probe `name` under the controlled scheduler with a fixed seed: no timing enters. */
async function probe(name: string, options: Record<string, unknown> = {}) {
  const r = await runScenario(scenario, {
    probe: name,
    channels: 1,
    mode: 'controlled',
    seed: 1,
    deadline: 20_000,
    ...options,
  });
  return { r, p: r.results.probe as Probe };
}

describe('descriptor callbacks', () => {
  it('invokes callback_result whenever it is set, whichever field was set last', async () => {
    const { r, p } = await probe('callback-result-wins');
    // 200 + param + 10 * result + 1000 * residue: callback_result with {NOERROR, 0}.
    const viaResult = (k: number) => 200 + k + 10 * DmaengineTxResult.DMA_TRANS_NOERROR;
    expect(p).toEqual({ completed: true, ran: [viaResult(0), viaResult(1), 100 + 2] });
    expect(r.exitCode).toBe(0);
  });
});

describe('callback misuse', () => {
  it('reports a callback or param a thread cannot carry at the setter, and runs nothing', async () => {
    const { r, p } = await probe('bad-callback');
    expect(p).toEqual({ status: DmaStatus.DMA_COMPLETE, ran: [] });
    expect(r.violations.map((v) => v.rule)).toEqual([
      'bad-callback',
      'bad-callback',
      'bad-callback-param',
      'bad-callback-param',
      'bad-callback-param',
    ]);
    expect(r.dmesg.filter((l) => l.includes('define it with defineCallback('))).toHaveLength(1);
    expect(r.exitCode).toBe(1);
  });

  it('reports unknown-callback when the CPU running the tasklet lacks the callback', async () => {
    const { r, p } = await probe('unknown-callback', { cpus: 2, irqCpu: 1 });
    expect(p).toEqual({ status: DmaStatus.DMA_COMPLETE, ran: [] });
    expect(r.violations.map((v) => [v.rule, v.actor])).toEqual([['unknown-callback', 'cpu1']]);
    expect(r.exitCode).toBe(1);
  });
});

describe('issue-after-terminate', () => {
  it('is reported once per terminate..synchronize window, by the synchronize, with the issues in it', async () => {
    const { r } = await probe('issue-after-terminate');
    expect(r.violations.map((v) => [v.rule, v.value])).toEqual([
      ['issue-after-terminate', 5],
      ['issue-after-terminate', 1],
    ]);
  });
});
