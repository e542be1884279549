#!/usr/bin/env node
// dmasim's benchmarks: the 64 B path as a share of its raw-Atomics floor (and of a
// postMessage pipeline) measured in the same run, declared shared state against a raw
// array, end-to-end descriptor throughput through real actors, copy bandwidth, the event pipeline, how dmatest's
// throughput grows with channels, and the scheduler's costs (controlled handoffs and runs,
// time to first failure per mode, the fixed cost of a run, sharing the cores with a busy
// process). `npm run bench` (add `-- --json` for machine output).
import { availableParallelism, loadavg } from 'node:os';
import { runScenario, shutdownActorPool } from '../src/index.js';
import type { DmatestSummary } from '../src/clients/dmatest/thread.js';
import type { MemcpyStreamResult } from '../src/clients/memcpy-stream/stream.js';
import { human, measure, median, type Figure } from './measure.js';
import { configRaceLockProfile, lockOps, lockThroughput } from './lock-figures.js';
import { emitRate, eventThroughput } from './event-throughput.js';
import { benchSchedules, type FigureSink } from './schedule-bench.js';
import { benchCampaigns } from './campaign-bench.js';
import { benchFloor } from './floor-bench.js';
import { benchKasan } from './kasan-bench.js';
import { benchStateAccess } from './state-access.js';
import { benchCyclic } from './cyclic-bench.js';
import { benchBam } from './bam-bench.js';
import { benchCDriver } from './cdriver-bench.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const REPS = quick ? 1 : 3;
const MS = quick ? 300 : 600;
/** dmatest scaling runs are latency-bound and steady: shorter runs keep the bench under 50 s. */
const SCALING_MS = quick ? 200 : 400;
const log = (line: string): void => {
  if (!json) console.log(line);
};

/** Descriptors (or bytes) per second of a memcpy-stream run on one channel. */
async function stream(opts: Record<string, unknown>, per: 'desc' | 'bytes'): Promise<number> {
  const r = await runScenario('memcpy-stream', {
    controllers: 1,
    channels: 1,
    duration: MS,
    ...opts,
  });
  if (r.exitCode !== 0)
    throw new Error(`memcpy-stream run failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  const s = (r.results.streams as MemcpyStreamResult[])[0]!;
  return (per === 'desc' ? s.transfers : s.bytes) / s.seconds;
}

/** Total dmatest tests per second over `chans` channels, one controller (engine) each. */
async function dmatestScaling(chans: number): Promise<number> {
  const r = await runScenario('dmatest', {
    controllers: chans,
    channels: 1,
    duration: SCALING_MS,
    noverify: true,
  });
  if (r.exitCode !== 0)
    throw new Error(`dmatest run failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  const threads = r.results.threads as DmatestSummary[];
  return threads.reduce((n, t) => n + t.tests, 0) / (r.durationMs / 1000);
}

/** A figure's value as printed: counts as counts, ratios with 2 decimals, ns whole. */
function show(fig: Figure): string {
  if (fig.unit === 'seeds') return String(fig.value);
  if (fig.unit === 'x') return fig.value.toFixed(2);
  if (fig.unit === 'ns') return fig.value.toFixed(fig.value < 10 ? 2 : 0);
  return human(fig.value);
}

async function main(): Promise<void> {
  const figures: Record<string, Figure> = {};
  const t0 = performance.now();
  const sink: FigureSink = {
    add(name, label, fig) {
      figures[name] = fig;
      log(`${label.padEnd(58)} ${show(fig).padStart(10)} ${fig.unit}`);
    },
    log,
  };
  const add = async (name: string, label: string, f: Promise<Figure>): Promise<Figure> => {
    const fig = await f;
    sink.add(name, label, fig);
    return fig;
  };
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  const loadStart = loadavg();
  log(
    `dmasim bench: ${availableParallelism()} cores, Node ${process.version}, ${REPS} reps of ${MS} ms, medians; load average ${load()}`,
  );
  log('');
  await benchFloor(sink, REPS, MS);
  log('');
  await benchKasan(sink, REPS, MS);
  log('');
  await benchStateAccess(sink, quick ? 3 : 5);
  log('');
  log(
    'memcpy through the actors (one channel: a CPU actor + an engine actor, batch 64, window 512):',
  );
  await add(
    'desc_per_s_64b_events_all',
    '  64 B, noverify, every event recorded (--events all)',
    measure('desc/s', REPS, 0, () => stream({ size: 64, events: 'all' }, 'desc')),
  );
  await add(
    'desc_per_s_64b_verify',
    '  64 B, verify',
    measure('desc/s', REPS, 0, () => stream({ size: 64, verify: true }, 'desc')),
  );
  await add(
    'desc_per_s_4k',
    '  4 KiB, noverify',
    measure('desc/s', REPS, 0, () => stream({ size: 4096 }, 'desc')),
  );
  await add(
    'desc_per_s_4k_verify',
    '  4 KiB, verify',
    measure('desc/s', REPS, 0, () => stream({ size: 4096, verify: true }, 'desc')),
  );
  const gb = await measure(
    'GB/s',
    REPS,
    0,
    async () => (await stream({ size: 1 << 20, batch: 4, window: 8 }, 'bytes')) / 1e9,
  );
  figures.copy_gb_per_s_1m = gb;
  log(`${'  1 MiB copies (bandwidth)'.padEnd(58)} ${gb.value.toFixed(2).padStart(10)} GB/s`);
  log('');
  log('event pipeline: worker ring -> sequence merge -> one RxJS subscriber on the host:');
  await add(
    'events_per_s',
    '  1 producer',
    measure('events/s', REPS, 1, () => eventThroughput(quick ? 500_000 : 1_500_000, 1)),
  );
  await add(
    'events_per_s_2_producers',
    '  2 producers (merged in sequence order)',
    measure('events/s', REPS, 0, () => eventThroughput(quick ? 500_000 : 1_500_000, 2)),
  );
  log('');
  log('producer side: records one thread publishes into an empty ring (the host only frees):');
  const bare = await add(
    'events_per_s_bare',
    '  bare ring record: payload, time, publish (baseline)',
    measure('events/s', REPS, 1, () => emitRate(quick ? 100 : 200, 'bare')),
  );
  const all = await add(
    'events_per_s_all',
    '  EventEmitter.emit() at --events all (clock, global seq)',
    measure('events/s', REPS, 1, () => emitRate(quick ? 100 : 200, 'emit')),
  );
  figures.emit_vs_bare_ratio = { value: all.value / bare.value, unit: 'x', samples: [] };
  log(
    `${'  emit() / bare record'.padEnd(58)} ${(all.value / bare.value).toFixed(2).padStart(10)} x`,
  );
  log('');
  log('dmatest (noverify, 1 thread per channel, one engine per channel): tests/s over all threads');
  for (const n of [1, 2, 4, 8]) {
    await add(
      `dmatest_tests_per_s_${n}ch`,
      `  ${n} channel(s): ${2 * n} actor threads`,
      measure('tests/s', REPS, n === 1 ? 1 : 0, () => dmatestScaling(n)),
    );
  }
  log('');
  log('locks (locktorture: writers on their own CPUs, one lock; ops/s over all writers):');
  const locks = await lockThroughput(REPS, quick ? 150 : 250);
  for (const [name, fig] of Object.entries(locks)) {
    figures[name] = fig;
    const [, kind, w] = /lock_ops_per_s_(.+)_(\d)w/.exec(name)!;
    log(
      `${`  ${kind} ${w === '1' ? 'uncontended (1 writer)' : 'contended (2 writers)'}`.padEnd(58)} ${human(fig.value).padStart(10)} ops/s`,
    );
  }
  log('');
  log('cost of the lockdep-style validator (locktorture spin_lock, 1 writer):');
  const off = await measure(
    'ops/s',
    REPS,
    0,
    async () => (await lockOps('spin_lock', 1, quick ? 150 : 250)).ops,
  );
  const onRuns: { ops: number; events: number }[] = [];
  const on = await measure('ops/s', REPS, 0, async () => {
    const r = await lockOps('spin_lock', 1, quick ? 150 : 250, true);
    onRuns.push(r);
    return r.ops;
  });
  figures.lock_ops_per_s_lockdep_off = off;
  figures.lock_ops_per_s_lockdep_on = on;
  figures.lockdep_events_per_s = {
    value: median(onRuns.map((r) => r.events)),
    unit: 'events/s',
    samples: onRuns.map((r) => r.events),
  };
  log(`${'  lock ops/s, lockdep off'.padEnd(58)} ${human(off.value).padStart(10)} ops/s`);
  log(
    `${'  lock ops/s, lockdep on (2 events per op, validated on the host)'.padEnd(58)} ${human(on.value).padStart(10)} ops/s`,
  );
  log(
    `${'  lock events/s through the validator'.padEnd(58)} ${human(figures.lockdep_events_per_s.value).padStart(10)} events/s`,
  );
  log('');
  log('config-race (safe API, irqsave, 2 CPUs + callbacks), hold and wait times per lock class:');
  const profile = await configRaceLockProfile(quick ? 300 : 600);
  for (const l of profile.lines) log(l);
  Object.assign(figures, profile.figures);
  log('');
  await benchSchedules(sink, quick);
  log('');
  await benchCampaigns(sink, quick);
  log('');
  await benchCyclic(sink, quick ? 1 : 3, quick ? 200 : 400);
  log('');
  await benchBam(sink, quick ? 1 : 3, quick ? 160 : 320);
  await benchCDriver(sink, quick ? 1 : 3, quick ? 500 : 2000);
  log('');
  log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s; load average ${load()}`);
  if (json) {
    const out: Record<string, { value: number; unit: string; samples: number[] }> = {};
    for (const [k, f] of Object.entries(figures))
      out[k] = {
        value: Number(f.value.toPrecision(6)),
        unit: f.unit,
        samples: f.samples.map((s) => Number(s.toPrecision(6))),
      };
    console.log(JSON.stringify({ loadavg: { start: loadStart, end: loadavg() }, figures: out }));
  }
}

try {
  await main();
} finally {
  await shutdownActorPool();
}
