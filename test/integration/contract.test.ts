import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import { DmaengineTxResult } from '../../src/dmaengine/types.js';
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
