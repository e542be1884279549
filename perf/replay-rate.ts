#!/usr/bin/env node
// How often a free or chaos run's replay file reproduces what the run found: each built-in
// buggy scenario, in each of the two modes, over a few seeds. A free run records the order
// of its points; `dmasim replay` enforces that order under the controlled scheduler, as far
// as it can be followed. `npm run build && node dist/perf/replay-rate.js [--seeds N] [--json]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replay, runScenario, shutdownActorPool, writeReplayFile } from '../src/index.js';

const arg = (flag: string, fallback: number): number => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SEEDS = arg('--seeds', 5);
const json = process.argv.includes('--json');

/** The built-in bugs, and the kind each is about (lockdep findings need no timing luck). */
const BUGS = [
  {
    what: 'config-race unsafe',
    name: 'config-race',
    options: { api: 'unsafe' },
    kind: 'config-prep-mismatch',
  },
  {
    what: 'config-race spin_lock',
    name: 'config-race',
    options: { lock: 'spin_lock' },
    kind: 'deadlock',
  },
  {
    what: 'config-race mutex',
    name: 'config-race',
    options: { lock: 'mutex' },
    kind: 'sleep-in-atomic',
  },
  {
    what: 'config-race spin_lock_bh hardirq',
    name: 'config-race',
    options: { lock: 'spin_lock_bh', callbackContext: 'hardirq' },
    kind: 'deadlock',
  },
  { what: 'pl08x', name: 'pl08x-callback-under-lock', options: {}, kind: 'recursive-locking' },
] as const;

interface Row {
  bug: string;
  kind: string;
  mode: string;
  /** Runs that found the kind (of SEEDS). */
  found: number;
  /** Of those, replays that found it again. */
  reproduced: number;
  /** Median share of a replay's real choices at which it did not follow the record. */
  diverged: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dmasim-replay-rate-'));
  const rows: Row[] = [];
  try {
    for (const bug of BUGS) {
      for (const mode of ['free', 'chaos'] as const) {
        const row: Row = {
          bug: bug.what,
          kind: bug.kind,
          mode,
          found: 0,
          reproduced: 0,
          diverged: 0,
        };
        const diverged: number[] = [];
        for (let seed = 1; seed <= SEEDS; seed++) {
          const r = await runScenario(bug.name, {
            ...bug.options,
            mode,
            seed,
            duration: 300,
            deadline: 5000,
          });
          if (!r.violationCounts[bug.kind] || !r.replay) continue;
          row.found++;
          const file = join(dir, `${mode}-${seed}.json`);
          writeReplayFile(file, r.replay);
          const again = await replay(file, { deadline: 20_000 });
          if (again.result.violationCounts[bug.kind]) row.reproduced++;
          const s = again.result.schedule;
          diverged.push(s.diverged / Math.max(1, s.choices));
        }
        diverged.sort((a, b) => a - b);
        row.diverged = diverged[diverged.length >> 1] ?? 0;
        rows.push(row);
        if (!json) {
          console.log(
            `${bug.what.padEnd(34)} ${mode.padEnd(6)} ${bug.kind.padEnd(21)} found in ${row.found}/${SEEDS} runs, ` +
              `replay reproduced ${row.reproduced}/${row.found} (diverged at ${(100 * row.diverged).toFixed(1)}% of its choices, median)`,
          );
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await shutdownActorPool();
  }
  if (json) console.log(JSON.stringify({ seeds: SEEDS, rows }, null, 2));
}

await main();
