#!/usr/bin/env node
// What `dmasim shrink` makes of each built-in bug: a failing controlled run (strategy random,
// the scenario's 16 iterations) is recorded, then shrunk keeping the bug's violation kind
// (and, where the run's first finding is another kind, keeping that one too). Prints
// preemptions, decisions and context switches before and after, the candidates run and the
// shrink's wall time (median of the reps; the sizes are the same every rep: a shrink is a
// function of its file). `npm run build && node dist/perf/shrink-bench.js [--seed S]
// [--quick] [--json]`.
import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  runScenario,
  shrink,
  shutdownActorPool,
  writeReplayFile,
  type ShrinkOutcome,
} from '../src/index.js';
import { median, type Figure } from './measure.js';

const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SEED = arg('--seed', 1);
const json = process.argv.includes('--json');
const REPS = process.argv.includes('--quick') ? 1 : 3;
const log = (line: string): void => {
  if (!json) console.log(line);
};

/** The built-in bugs (as perf/replay-rate.ts), and the kind each is about. */
const BUGS = [
  {
    id: 'unsafe',
    what: 'config-race unsafe',
    name: 'config-race',
    options: { api: 'unsafe' },
    kind: 'config-prep-mismatch',
  },
  {
    id: 'spin_lock',
    what: 'config-race spin_lock',
    name: 'config-race',
    options: { lock: 'spin_lock' },
    kind: 'deadlock',
  },
  {
    id: 'mutex',
    what: 'config-race mutex',
    name: 'config-race',
    options: { lock: 'mutex' },
    kind: 'sleep-in-atomic',
  },
  {
    id: 'spin_lock_bh_hardirq',
    what: 'config-race spin_lock_bh hardirq',
    name: 'config-race',
    options: { lock: 'spin_lock_bh', callbackContext: 'hardirq' },
    kind: 'deadlock',
  },
  {
    id: 'pl08x',
    what: 'pl08x',
    name: 'pl08x-callback-under-lock',
    options: {},
    kind: 'recursive-locking',
  },
] as const;

const fig = (value: number, unit: string, samples: number[] = []): Figure => ({
  value,
  unit,
  samples,
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dmasim-shrink-bench-'));
  const figures: Record<string, Figure> = {};
  log(
    `dmasim shrink bench: ${availableParallelism()} cores, Node ${process.version}, ${REPS} rep(s), wall time median`,
  );
  log('');
  log(
    `${'bug (seed), kind kept'.padEnd(58)} ${'preemptions'.padStart(12)} ${'decisions'.padStart(12)} ${'switches'.padStart(12)} ${'runs'.padStart(5)} ${'ms'.padStart(6)}`,
  );
  try {
    for (const bug of BUGS) {
      let seed = SEED;
      let recorded = await runScenario(bug.name, { ...bug.options, mode: 'controlled', seed });
      while (!recorded.violationCounts[bug.kind] && seed < SEED + 20) {
        seed++;
        recorded = await runScenario(bug.name, { ...bug.options, mode: 'controlled', seed });
      }
      if (!recorded.replay || !recorded.violationCounts[bug.kind]) {
        log(`${bug.what}: no seed of ${SEED}..${seed} found ${bug.kind}`);
        continue;
      }
      const file = join(dir, `${bug.id}.json`);
      writeReplayFile(file, recorded.replay);
      const first = recorded.replay.violations[0]!.kind;
      const kinds = first === bug.kind ? [bug.kind] : [bug.kind, first];
      for (const kind of kinds) {
        const outs: ShrinkOutcome[] = [];
        for (let rep = 0; rep < REPS; rep++)
          outs.push(
            await shrink(file, { kind, replayOut: join(dir, `${bug.id}-${kind}.shrunk.json`) }),
          );
        const o = outs[0]!;
        const ms = outs.map((x) => x.durationMs);
        const key = `shrink_${bug.id}${kind === bug.kind ? '' : `_${kind.replace(/-/g, '_')}`}`;
        figures[`${key}_preemptions_before`] = fig(o.before.preemptions, 'preemptions');
        figures[`${key}_preemptions_after`] = fig(o.after.preemptions, 'preemptions');
        figures[`${key}_decisions_before`] = fig(o.before.decisions, 'decisions');
        figures[`${key}_decisions_after`] = fig(o.after.decisions, 'decisions');
        figures[`${key}_runs`] = fig(o.runs, 'runs');
        figures[`${key}_ms`] = fig(median(ms), 'ms', ms);
        const scaled = Object.entries(o.scaled).map(([k, [a, b]]) => `${k} ${a}->${b}`);
        const arrow = (a: number, b: number): string => `${a} -> ${b}`.padStart(12);
        log(
          `${`${bug.what} (${seed}), ${kind}`.padEnd(58)} ${arrow(o.before.preemptions, o.after.preemptions)} ${arrow(o.before.decisions, o.after.decisions)} ${arrow(o.before.switches, o.after.switches)} ${String(o.runs).padStart(5)} ${String(Math.round(median(ms))).padStart(6)}`,
        );
        if (scaled.length) log(`    ${scaled.join(', ')}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await shutdownActorPool();
  }
  if (json) {
    const out: Record<string, { value: number; unit: string; samples: number[] }> = {};
    for (const [k, f] of Object.entries(figures))
      out[k] = { value: f.value, unit: f.unit, samples: f.samples };
    console.log(JSON.stringify({ figures: out }));
  }
}

await main();
