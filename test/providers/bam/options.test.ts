import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { getScenario, runScenario, shutdownActorPool } from '../../../src/index.js';
import { scenario } from '../../fixtures/bam-probe.mjs';
import { runCli } from '../../support/cli.js';
import { refusal } from '../../support/refusal.js';

afterAll(async () => {
  await shutdownActorPool();
});

const RUN = { mode: 'controlled', seed: 1, deadline: 20_000 } as const;
const repo = fileURLToPath(new URL('../../..', import.meta.url));

describe('bam options', () => {
  it.each([
    [{ descFifo: 100 }, '--desc-fifo'],
    [{ descFifo: 32 }, '--desc-fifo'],
  ])('refuses %j naming the option', async (options, name) => {
    const err = await refusal(runScenario(getScenario('bam-pipe-lock'), { ...RUN, ...options }));

    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toContain(name);
  });

  it.each([
    [{ ees: 2, pipes: 1 }, 'execution environments'],
    [{ ees: 9, pipes: 9 }, 'ees 9'],
  ])('refuses a plan of %j', async (options, words) => {
    const err = await refusal(runScenario(scenario, { ...RUN, probe: 'request', ...options }));

    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toContain(words);
  });

  it('exits 2 from the CLI for a FIFO size that is not a power of two', () => {
    const ran = runCli(repo, ['run', 'bam-pipe-lock', '--desc-fifo', '100']);

    expect(ran.status).toBe(2);
    expect(ran.stderr).toContain('--desc-fifo');
  });
});
