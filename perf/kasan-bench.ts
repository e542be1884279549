import { runScenario } from '../src/index.js';
import { median, type Figure } from './measure.js';
import type { FigureSink } from './schedule-bench.js';
import { scenario as timedStream, type TimedStreamResult } from './timed-stream.js';

/** Descriptors per second of the 64 B path, the engine's KASAN check on or off. */
async function run64(ms: number, kasan: boolean): Promise<number> {
  const r = await runScenario(timedStream, {
    controllers: 1,
    channels: 1,
    duration: ms,
    size: 64,
    kasan,
  });
  if (r.exitCode !== 0)
    throw new Error(`memcpy-stream run failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  const s = (r.results.streams as TimedStreamResult[])[0]!;
  return s.transfers / s.seconds;
}

const fig = (unit: string, samples: number[]): Figure => ({
  value: median(samples),
  unit,
  samples,
});

/**
 * What the engine's shadow check (kasanCheckDma on every segment it reads and writes)
 * costs on the 64 B memcpy path: check on and off alternate rep by rep in the same bench
 * run; the ratio is the median of the per-rep ratios.
 */
export async function benchKasan(out: FigureSink, reps: number, ms: number): Promise<void> {
  out.log('the engine KASAN check on the 64 B path (on vs off, alternating reps):');
  await run64(ms, true);
  await run64(ms, false);
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < reps; i++) {
    on.push(await run64(ms, true));
    off.push(await run64(ms, false));
  }
  out.add('kasan_on_desc_per_s_64b', '  engine check on (default)', fig('desc/s', on));
  out.add('kasan_off_desc_per_s_64b', '  engine check off (--kasan=false)', fig('desc/s', off));
  out.add(
    'kasan_ratio_64b',
    '  on / off',
    fig(
      'x',
      on.map((v, i) => v / off[i]!),
    ),
  );
}
