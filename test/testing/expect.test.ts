import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readReplayFile, shutdownActorPool } from '../../src/index.js';
import {
  ScenarioAssertionError,
  expectNoViolations,
  expectViolation,
} from '../../src/testing/vitest.js';
import { refusal } from '../support/refusal.js';

const replayDir = mkdtempSync(join(tmpdir(), 'dmasim-expect-'));

afterAll(async () => {
  rmSync(replayDir, { recursive: true, force: true });
  await shutdownActorPool();
});

/** Few short controlled runs, each with a deadline. */
const short = { runs: 3, deadline: 20_000, replayDir };
/** config-race with the unsafe API: config-prep-mismatch on every seed. */
const unsafe = { ...short, options: { api: 'unsafe', iterations: 2 } };

/** What `p` rejects with: a ScenarioAssertionError (the test fails otherwise). */
async function assertionFailure(p: Promise<unknown>): Promise<ScenarioAssertionError> {
  const err = await p.then(
    () => new Error('expected the assertion to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ScenarioAssertionError);
  return err as ScenarioAssertionError;
}

describe('expectNoViolations', () => {
  it('resolves when no seed finds a violation', async () => {
    await expect(
      expectNoViolations('config-race', { ...short, options: { iterations: 2 } }),
    ).resolves.toBeUndefined();
  });

  it("fails with the lowest failing seed's report and a replay file that dmasim replay reads", async () => {
    const err = await assertionFailure(expectNoViolations('config-race', { ...unsafe, seed: 5 }));
    const file = join(replayDir, 'config-race-controlled-seed5.json');
    expect({ code: err.code, seed: err.result?.seed, replayFile: err.result?.replayFile }).toEqual({
      code: 'DMASIM_SCENARIO_ASSERTION',
      seed: 5,
      replayFile: file,
    });
    // The report is what `dmasim run` prints: header, violations with their blocks, verdict.
    expect(err.message).toContain('config-race: seed 5, controlled (random, ');
    expect(err.message).toContain('config-prep-mismatch: ');
    expect(err.message).toContain(`replay file: ${file} (dmasim replay ${file})`);
    expect(existsSync(file)).toBe(true);
    const replay = readReplayFile(file);
    expect({ name: replay.scenario.name, seed: replay.seed, mode: replay.mode }).toEqual({
      name: 'config-race',
      seed: 5,
      mode: 'controlled',
    });
  });
});

describe('expectViolation', () => {
  it('resolves with the first run that shows the kind, its replay file written', async () => {
    const r = await expectViolation('terminate-race', 'use-after-free', {
      ...short,
      options: { variant: 'no-sync' },
    });
    expect(r.seed).toBe(1);
    expect(r.violationCounts['use-after-free']).toBeGreaterThan(0);
    expect(r.replayFile).toBe(join(replayDir, 'terminate-race-controlled-seed1.json'));
    expect(existsSync(r.replayFile!)).toBe(true);
  });

  it('finds a peripheral-level race of bam-pipe-lock in one seed', async () => {
    const r = await expectViolation('bam-pipe-lock', 'register-write-while-busy', {
      ...short,
      runs: 1,
      options: { ees: 3, unlockOnEmpty: true },
    });
    expect(r.violationCounts['register-write-while-busy']).toBeGreaterThan(0);
  });

  it('fails saying how many runs were tried when no run shows any violation', async () => {
    const err = await assertionFailure(
      expectViolation('terminate-race', 'use-after-free', { ...short, runs: 2 }),
    );
    expect({ runs: err.runs, seen: err.seen, result: err.result }).toEqual({
      runs: 2,
      seen: {},
      result: undefined,
    });
    expect(err.message).toBe(
      "expected a violation of kind 'use-after-free' in terminate-race, seeds 1..2 (controlled): " +
        'none in 2 runs; no run found any violation',
    );
  });

  it('fails naming the kinds the runs showed instead', async () => {
    const err = await assertionFailure(
      expectViolation('config-race', 'use-after-free', { ...unsafe, runs: 2 }),
    );
    expect(err.runs).toBe(2);
    expect(err.seen['config-prep-mismatch']).toBe(2);
    expect(err.message).toContain('none in 2 runs; kinds seen: ');
    expect(err.message).toContain('config-prep-mismatch (2 runs)');
  });
});

describe('bad input', () => {
  it.each([
    ['a kind that is not kebab-case', () => expectViolation('config-race', 'UseAfterFree', short)],
    ['an empty kind', () => expectViolation('config-race', '', short)],
    ['runs < 1', () => expectNoViolations('config-race', { ...short, runs: 0 })],
    ['fractional runs', () => expectViolation('config-race', 'warning', { ...short, runs: 1.5 })],
    [
      'a seed inside options',
      () => expectNoViolations('config-race', { ...short, options: { seed: 3 } }),
    ],
    [
      'an option the scenario does not have',
      () => expectNoViolations('config-race', { ...short, options: { nonsense: 1 } }),
    ],
  ])('refuses %s with DMASIM_BAD_OPTION before any run', async (_what, call) => {
    const err = await refusal(call());
    expect(err.code).toBe('DMASIM_BAD_OPTION');
  });

  it('refuses an unknown scenario', async () => {
    const err = await refusal(expectNoViolations('no-such-scenario', short));
    expect(err.code).toBe('DMASIM_UNKNOWN_SCENARIO');
  });
});
