import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCampaign } from '../src/index.js';
import { measure, type Figure } from './measure.js';
import type { FigureSink } from './schedule-bench.js';

/** The campaign measured: the config-vs-prep race, controlled, a few transfers per client. */
const SCENARIO = 'config-race';
const OPTIONS = { api: 'unsafe', iterations: 4 } as const;
const cliPath = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** Runs/s of one campaign of `runs` seeds on `workers` crews (0: the default). */
async function campaignRate(runs: number, workers: number, dir: string): Promise<number> {
  const s = await runCampaign(SCENARIO, { ...OPTIONS, runs, workers, replayDir: dir });
  if (s.runs !== runs) throw new Error(`campaign ran ${s.runs} of ${runs} runs`);
  return s.runsPerSecond;
}

/** Runs/s when every run is a fresh `dmasim run` process, as a shell loop over seeds does. */
function freshProcessRate(runs: number, dir: string): number {
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const args = [cliPath, 'run', SCENARIO, '--api', OPTIONS.api, '--iterations', '4'];
    args.push('--seed', String(i + 1), '-q', '--replay-out', join(dir, `fresh${i}.json`));
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 1) throw new Error(`fresh run ${i + 1} exited ${r.status}: ${r.stderr}`);
  }
  return (runs * 1000) / (performance.now() - t0);
}

/**
 * Campaign throughput: runs/s with crews reused from run to run (1 and 2 at once, and the
 * default), against a fresh process per run in the same bench run.
 */
export async function benchCampaigns(out: FigureSink, quick: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dmasim-bench-'));
  try {
    const reps = quick ? 1 : 3;
    const runs = quick ? 100 : 300;
    out.log(
      `campaigns (${SCENARIO} --api unsafe --iterations 4, controlled; ${runs} seeds each; every run fails and is counted):`,
    );
    const w1 = await measure('runs/s', reps, 0, () => campaignRate(runs, 1, dir));
    out.add('campaign_runs_per_s_1w', '  --workers 1 (one crew of reused actor threads)', w1);
    const w2 = await measure('runs/s', reps, 0, () => campaignRate(runs, 2, dir));
    out.add('campaign_runs_per_s_2w', '  --workers 2', w2);
    const def = await measure('runs/s', reps, 0, () => campaignRate(runs, 0, dir));
    out.add('campaign_runs_per_s', '  default workers', def);
    const fresh = await measure('runs/s', reps, 0, () =>
      Promise.resolve(freshProcessRate(quick ? 4 : 8, dir)),
    );
    out.add('fresh_process_runs_per_s', '  baseline: a fresh `dmasim run` process per seed', fresh);
    const ratio: Figure = { value: def.value / fresh.value, unit: 'x', samples: [] };
    out.add('campaign_vs_fresh', '  campaign / fresh process (goal >= 50)', ratio);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
