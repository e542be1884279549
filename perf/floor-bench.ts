import { loadavg } from 'node:os';
import { runScenario } from '../src/index.js';
import { atomicsFloor } from './atomics-floor.js';
import { human, median, type Figure } from './measure.js';
import { postMessageBaseline } from './postmessage-baseline.js';
import type { FigureSink } from './schedule-bench.js';
import { scenario as timedStream, type TimedStreamResult } from './timed-stream.js';

/** One run of dmasim's 64 B path (the bench's memcpy-stream run, timed on its CPU thread). */
async function dmasim64(ms: number): Promise<{ descPerS: number; nsPerDesc: number }> {
  const r = await runScenario(timedStream, { controllers: 1, channels: 1, duration: ms, size: 64 });
  if (r.exitCode !== 0)
    throw new Error(`memcpy-stream run failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  const s = (r.results.streams as TimedStreamResult[])[0]!;
  return { descPerS: s.transfers / s.seconds, nsPerDesc: s.cpuNs / s.transfers };
}

const fig = (unit: string, samples: number[]): Figure => ({
  value: median(samples),
  unit,
  samples,
});

/**
 * The headline: dmasim's 64 B path as a share of its floor, the same protocol on raw
 * Atomics with nothing else (atomics-floor.ts), and of a postMessage pipeline for context.
 * The three alternate rep by rep, so that a machine that gets busier or quieter during the
 * bench moves them alike; each ratio is the median of the per-rep ratios.
 */
export async function benchFloor(out: FigureSink, reps: number, ms: number): Promise<void> {
  out.log('the 64 B path against its floor (one channel, batch 64, window 512; alternating reps):');
  await dmasim64(ms);
  await atomicsFloor(ms);
  await postMessageBaseline(ms);
  const d: number[] = [];
  const ns: number[] = [];
  const f: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await dmasim64(ms);
    d.push(r.descPerS);
    ns.push(r.nsPerDesc);
    f.push(await atomicsFloor(ms));
    p.push(await postMessageBaseline(ms));
    out.log(
      `  rep ${i + 1}: dmasim ${human(d[i]!)}, floor ${human(f[i]!)}, postMessage ${human(p[i]!)} desc/s; load ${loadavg()[0]!.toFixed(2)}`,
    );
  }
  out.add('desc_per_s_64b', '  dmasim, 64 B, noverify, events at lifecycle', fig('desc/s', d));
  out.add(
    'floor_desc_per_s_64b',
    '  raw-Atomics floor: same protocol, nothing else',
    fig('desc/s', f),
  );
  out.add(
    'postmessage_desc_per_s_64b',
    '  postMessage: one message per descriptor and completion',
    fig('desc/s', p),
  );
  out.add(
    'floor_ratio_64b',
    '  dmasim / floor',
    fig(
      'x',
      d.map((v, i) => v / f[i]!),
    ),
  );
  out.add(
    'postmessage_ratio_64b',
    '  dmasim / postMessage (context)',
    fig(
      'x',
      d.map((v, i) => v / p[i]!),
    ),
  );
  // NaN off Linux: no per-thread CPU clock there (see timed-stream.ts).
  if (ns.every((v) => Number.isFinite(v)))
    out.add('ns_per_desc_cpu', "  dmasim CPU thread's CPU time per descriptor", fig('ns', ns));
}
