import { runScenario, startRun } from '../src/index.js';
import { lockClassName } from '../src/kernel/lock-class.js';
import type { Figure } from './measure.js';
import { measure } from './measure.js';

/** Lock operations per second of a locktorture run. */
export async function lockOps(
  torture: string,
  writers: number,
  ms: number,
  lockdep = false,
): Promise<{ ops: number; events: number }> {
  const r = await runScenario('locktorture', { torture, writers, duration: ms, lockdep });
  if (r.exitCode !== 0)
    throw new Error(`locktorture failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  return { ops: r.results.opsPerSecond as number, events: r.stats.events / (r.durationMs / 1000) };
}

/** Lock throughput per kind, uncontended (1 writer) and contended (2 writers on 2 CPUs). */
export async function lockThroughput(reps: number, ms: number): Promise<Record<string, Figure>> {
  const out: Record<string, Figure> = {};
  for (const kind of ['spin_lock', 'spin_lock_bh', 'spin_lock_irqsave', 'mutex']) {
    for (const writers of [1, 2]) {
      out[`lock_ops_per_s_${kind}_${writers}w`] = await measure(
        'ops/s',
        reps,
        0,
        async () => (await lockOps(kind, writers, ms)).ops,
      );
    }
  }
  return out;
}

/** log2 histogram of nanosecond values: bucket k counts values in [2^k, 2^(k+1)). */
function histogram(ns: readonly number[]): Map<number, number> {
  const h = new Map<number, number>();
  for (const v of ns) {
    const k = v <= 0 ? 0 : Math.floor(Math.log2(v));
    h.set(k, (h.get(k) ?? 0) + 1);
  }
  return h;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : 0;
}

const unit = (ns: number): string =>
  ns >= 1e6
    ? `${(ns / 1e6).toFixed(1)} ms`
    : ns >= 1e3
      ? `${(ns / 1e3).toFixed(1)} us`
      : `${ns} ns`;

/**
 * Hold and wait times of every lock class in a config-race run (safe API, irqsave), from
 * its lock events: per class the acquisitions, the contended ones, p50/p99, and a log2
 * histogram of hold times.
 */
export async function configRaceLockProfile(
  ms: number,
): Promise<{ lines: string[]; figures: Record<string, Figure> }> {
  const run = startRun('config-race', { duration: ms, lockdep: true, events: 'api' });
  const hold = new Map<number, number[]>();
  const wait = new Map<number, number[]>();
  run.events$.subscribe((e) => {
    if (e.kind !== 'lock.release') return;
    (hold.get(e.lockClass) ?? hold.set(e.lockClass, []).get(e.lockClass)!).push(e.holdNs);
    (wait.get(e.lockClass) ?? wait.set(e.lockClass, []).get(e.lockClass)!).push(e.waitNs);
  });
  await run.result;
  const lines: string[] = [];
  const figures: Record<string, Figure> = {};
  for (const [cls, hs] of hold) {
    const name = lockClassName(cls);
    const h = [...hs].sort((a, b) => a - b);
    const w = [...(wait.get(cls) ?? [])].sort((a, b) => a - b);
    const contended = w.filter((x) => x > 0).length;
    lines.push(
      `  ${name.padEnd(14)} ${String(h.length).padStart(8)} acquisitions, ${((contended / h.length) * 100).toFixed(2)}% contended; ` +
        `hold p50 ${unit(percentile(h, 0.5))} p99 ${unit(percentile(h, 0.99))}; wait p99 ${unit(percentile(w, 0.99))} max ${unit(w[w.length - 1] ?? 0)}`,
    );
    const bars = [...histogram(h)].sort((a, b) => a[0] - b[0]);
    const max = Math.max(...bars.map((b) => b[1]));
    for (const [k, n] of bars)
      lines.push(
        `    hold >= ${unit(2 ** k).padStart(9)} ${'#'.repeat(Math.max(1, Math.round((n / max) * 40)))} ${n}`,
      );
    const key = name.replace(/[^a-z]+/g, '_').replace(/^_|_$/g, '');
    figures[`config_race_${key}_hold_p99_ns`] = {
      value: percentile(h, 0.99),
      unit: 'ns',
      samples: [],
    };
    figures[`config_race_${key}_contended_pct`] = {
      value: (contended / h.length) * 100,
      unit: '%',
      samples: [],
    };
  }
  return { lines, figures };
}
