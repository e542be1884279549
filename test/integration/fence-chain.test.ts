import { afterAll, describe, expect, it } from 'vitest';
import { getScenario, runScenario, shutdownActorPool } from '../../src/index.js';

afterAll(async () => {
  await shutdownActorPool();
});

const scenario = getScenario('fence-chain');

function run(variant: string, options: Record<string, unknown> = {}) {
  return runScenario(scenario, {
    variant,
    iterations: 8,
    channels: 1,
    deadline: 30_000,
    ...options,
  });
}

describe('fence-chain', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'without DMA_PREP_FENCE every chain copies stale bytes (controlled seed %i)',
    async (seed) => {
      const r = await run('no-fence', { seed });
      expect(r.results.stale).toBe(8);
      expect(r.violations.map((v) => v.kind)).toContain('data-corruption');
      expect(r.violations.filter((v) => v.kind === 'dma-api-misuse')).toEqual([]);
      expect(r.exitCode).toBe(1);
    },
  );

  it('without DMA_PREP_FENCE, in free mode too', async () => {
    const r = await run('no-fence', { mode: 'free', channels: 2 });
    expect(r.results.stale).toBe(16);
    expect(r.exitCode).toBe(1);
  });

  it('with DMA_PREP_FENCE it is clean over many controlled seeds, and mapping is balanced', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = await run('fence', { seed, channels: 2 });
      expect(r.results.stale, `seed ${seed}`).toBe(0);
      expect(r.violations, `seed ${seed}`).toEqual([]);
      expect(r.exitCode).toBe(0);
    }
  });

  it('with DMA_PREP_FENCE in free mode', async () => {
    const r = await run('fence', { mode: 'free', channels: 2 });
    expect(r.results.stale).toBe(0);
    expect(r.exitCode).toBe(0);
  });
});
