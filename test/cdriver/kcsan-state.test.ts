import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runScenario, shutdownActorPool } from '../../src/index.js';

const SCENARIO = join(import.meta.dirname, '../fixtures/user/kcsan-scenario.ts');

afterAll(() => shutdownActorPool());

function run(access: string, kcsan = true) {
  return runScenario(SCENARIO, { mode: 'controlled', seed: 3, deadline: 20_000, kcsan, access });
}

describe('--kcsan on declared state (TypeScript drivers)', () => {
  it('reports plain get/set of a shared field from two CPUs without a lock', async () => {
    const r = await run('plain');
    expect(r.violations.map((v) => v.kind)).toEqual(['data-race']);
    const v = r.violations[0]!;
    expect(v.report).toContain('BUG: KCSAN: data-race in bumpCount / bumpCount');
    expect(v.report).toContain('the memory: shared_stats.count');
    expect(v.report).toMatch(
      /\n(read|write) to 0x[0-9a-f]{8} of 4 bytes by task 0 on cpu [01]:\n bumpCount\n/,
    );
  });

  it('is quiet for marked accesses (load/store) and for accesses under the lock', async () => {
    expect((await run('marked')).violations).toEqual([]);
    expect((await run('locked')).violations).toEqual([]);
  });

  it('is off unless asked for', async () => {
    expect((await run('plain', false)).violations).toEqual([]);
  });
});
