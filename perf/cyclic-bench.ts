// Cyclic period callbacks against the period rate: the time between callbacks (median and
// 99th percentile) next to the period time, and how many periods got a callback of their
// own (callbacks / periods: below 1 when periods coalesce because the tasklet ran late).
// Free runs of the cyclic-audio scenario at a 48 kHz stream with smaller and smaller
// periods. `node dist/perf/cyclic-bench.js` runs it alone; `npm run bench` includes it.
import { pathToFileURL } from 'node:url';
import { runScenario, shutdownActorPool } from '../src/index.js';
import type { CyclicAudioResult } from '../src/clients/cyclic-audio/client.js';
import { median, type Figure } from './measure.js';
import type { FigureSink } from './schedule-bench.js';

/** Period sizes in bytes at 48 kHz, 4-byte frames (192 bytes per ms). */
const PERIODS = [4096, 1024, 256, 64] as const;
const BYTES_PER_MS = 192;
/** Run-clock time each stream plays. */
const PLAY_MS = 400;

/** One free run of cyclic-audio with `periodBytes` periods. */
async function once(periodBytes: number, playMs: number): Promise<CyclicAudioResult> {
  const periodMs = periodBytes / BYTES_PER_MS;
  const r = await runScenario('cyclic-audio', {
    mode: 'free',
    periodBytes,
    periods: 4,
    stopAfter: Math.max(8, Math.round(playMs / periodMs)),
    replayOut: '',
  });
  if (r.exitCode !== 0)
    throw new Error(`cyclic-audio run failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  return r.results as unknown as CyclicAudioResult;
}

function fig(samples: number[], unit: string): Figure {
  return { value: median(samples), unit, samples };
}

/** Jitter and coalescing per period size, medians over `reps` runs, into `out`. */
export async function benchCyclic(out: FigureSink, reps: number, playMs = PLAY_MS): Promise<void> {
  out.log(
    'cyclic period callbacks (cyclic-audio, free, 48 kHz x 4 B): interval vs period, callbacks per period:',
  );
  for (const bytes of PERIODS) {
    const runs: CyclicAudioResult[] = [];
    for (let i = 0; i < reps; i++) runs.push(await once(bytes, playMs));
    const periodMs = bytes / BYTES_PER_MS;
    const rate = Math.round(1000 / periodMs);
    const p = `cyclic_${bytes}b`;
    const med = fig(
      runs.map((r) => r.intervalMedianMs),
      'ms',
    );
    const p99 = fig(
      runs.map((r) => r.intervalP99Ms),
      'ms',
    );
    out.add(`${p}_period_ms`, `  ${bytes} B periods (${rate}/s): period time`, {
      value: periodMs,
      unit: 'ms',
      samples: [],
    });
    out.add(`${p}_interval_median_ms`, '    callback interval, median', med);
    out.add(`${p}_interval_p99_ms`, '    callback interval, p99', p99);
    out.add(`${p}_p99_over_period`, '    p99 / period', {
      value: p99.value / periodMs,
      unit: 'x',
      samples: [],
    });
    out.add(
      `${p}_callbacks_per_period`,
      '    callbacks / periods',
      fig(
        runs.map((r) => r.callbacks / Math.max(1, r.periods)),
        'x',
      ),
    );
    out.add(
      `${p}_coalesced_share`,
      '    coalesced periods / periods',
      fig(
        runs.map((r) => r.coalescedPeriods / Math.max(1, r.periods)),
        'x',
      ),
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sink: FigureSink = {
    add: (_name, label, f) =>
      console.log(`${label.padEnd(58)} ${f.value.toFixed(3).padStart(10)} ${f.unit}`),
    log: (line) => console.log(line),
  };
  await benchCyclic(sink, 3);
  await shutdownActorPool();
}
