import { describe, expect, it } from 'vitest';
import { ProgressView, progressLine } from '../../src/cli/campaign-progress.js';
import { renderCampaign } from '../../src/cli/render-campaign.js';
import type { Output } from '../../src/cli/io.js';
import type { CampaignProgress, CampaignSummary } from '../../src/index.js';

function sink(errTTY: boolean): Output & { text: string } {
  const o = {
    text: '',
    out: (t: string) => void (o.text += t),
    err: (t: string) => void (o.text += t),
    width: 80,
    errTTY,
  };
  return o;
}

const P: CampaignProgress = {
  total: 1000,
  done: 250,
  failures: 3,
  byKind: { 'data-corruption': 3 },
  firstFailingSeed: 17,
  elapsedMs: 5000,
};

describe('campaign progress', () => {
  it('says runs, rate, failures by kind, the first failing seed and the ETA', () => {
    const line = progressLine(P);
    expect(line).toContain('250/1000 runs (25%)');
    expect(line).toContain('50.0 runs/s');
    expect(line).toContain('3 failed (data-corruption 3)');
    expect(line).toContain('first failing seed 17');
    expect(line).toContain('ETA 15 s');
    expect(progressLine({ ...P, failures: 0, byKind: {}, firstFailingSeed: null })).toContain(
      'no failure',
    );
  });

  it('redraws a bar in place on a terminal and prints plain lines elsewhere', () => {
    const tty = sink(true);
    const view = new ProgressView(tty);
    view.update(P);
    expect(tty.text).toMatch(/^\r\x1b\[2K\[#+\.+\]/);
    view.end();
    expect(tty.text.endsWith('\n\n')).toBe(true);
    const log = sink(false);
    const plain = new ProgressView(log);
    plain.update(P);
    plain.update({ ...P, done: 251 }); // within the period: not printed
    plain.update({ ...P, done: 1000 }); // the last one always is
    expect(log.text.split('\n').filter(Boolean)).toEqual([
      `campaign: ${progressLine(P)}`,
      `campaign: ${progressLine({ ...P, done: 1000 })}`,
    ]);
    expect(log.text).not.toContain('\r');
  });

  it('renders a summary with its replay commands', () => {
    const s = {
      scenario: 'config-race',
      mode: 'controlled',
      strategy: 'random',
      seed: 1,
      plannedRuns: 10,
      shard: { index: 1, count: 2 },
      runs: 5,
      passes: 4,
      failures: 1,
      crashes: 0,
      byKind: { 'data-corruption': 1 },
      distinct: 1,
      failuresBySignature: [
        {
          signature: 'data-corruption',
          kind: 'data-corruption',
          runs: 1,
          firstRun: 2,
          firstSeed: 3,
          message: 'bytes differ',
          replayFile: 'r/x.json',
        },
      ],
      firstFailure: { run: 2, seed: 3, kind: 'data-corruption', replayFile: 'r/x.json' },
      timeToFirstFailureMs: 120,
      runsToFirstFailure: 2,
      replayFiles: ['r/x.json'],
      runsPerSecond: 50,
      durationMs: 100,
      workers: 1,
      interrupted: false,
      stoppedEarly: false,
      exitCode: 1,
      options: {},
    } satisfies CampaignSummary;
    const text = renderCampaign(s);
    expect(text).toContain('seeds 1..10, shard 1/2, 1 worker');
    expect(text).toContain('runs 5: 4 passed, 1 failed');
    expect(text).toContain('dmasim replay r/x.json');
    expect(text).toContain('first failure: seed 3 (data-corruption) after 0.12 s and 2 runs');
  });
});
