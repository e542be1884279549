#!/usr/bin/env node
// A soak test of the run lifecycle: many short dmatest runs in one process, each with a
// short watchdog deadline, so that a lost wake-up, a leaked thread or a leak per run shows.
// `npm run soak` (10,000 runs), `npm run soak -- --runs 2000 --mode chaos`.
// Every 500 runs it prints runs done, runs/s, RSS and the process's thread count. A stall is
// a run with a `deadlock` violation, a run that threw or crashed (exit code 3), a dmatest
// transfer that timed out (a lost completion) or a run slower than --slow-ms; each is
// printed with its seed and report. Any other violation, and a dmatest thread with failures
// or short of its iterations, is printed too and counted as a failure. Exits 0 when there
// was neither, 1 otherwise. A warm-up run first starts the pool's threads; it is not timed
// against --slow-ms.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runScenario, shutdownActorPool, SCHED_MODES, type RunResult } from '../src/index.js';
import { actorPool } from '../src/host/pool.js';
import type { DmatestSummary } from '../src/clients/dmatest/thread.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    mode: { type: 'string', default: 'free' },
    every: { type: 'string', default: '500' },
    deadline: { type: 'string', default: '5000' },
    'slow-ms': { type: 'string', default: '2000' },
    iterations: { type: 'string', default: '5' },
    'first-seed': { type: 'string', default: '0' },
  },
  strict: true,
});

function uint(flag: string, text: string, min = 0): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    console.error(`soak: --${flag}: got '${text}', expected an integer >= ${min}`);
    process.exit(2);
  }
  return n;
}

const RUNS = uint('runs', values.runs, 1);
const EVERY = uint('every', values.every, 1);
const DEADLINE = uint('deadline', values.deadline, 1);
const SLOW_MS = uint('slow-ms', values['slow-ms'], 1);
const ITERATIONS = uint('iterations', values.iterations, 1);
const FIRST_SEED = uint('first-seed', values['first-seed']);
const MODE = values.mode;
if (!(SCHED_MODES as readonly string[]).includes(MODE)) {
  console.error(`soak: --mode: got '${MODE}', expected one of ${SCHED_MODES.join(', ')}`);
  process.exit(2);
}

/** The process's OS thread count (Linux), else the actor pool's thread count. */
function threadCount(): string {
  try {
    const m = /^Threads:\s+(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return m[1]!;
  } catch {
    // Not Linux: the pool's own count is the next best thing.
  }
  return `${actorPool().threads.length} (pool)`;
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

interface Bad {
  seed: number;
  what: string;
  detail: string;
}

/** What is wrong with one run, if anything: stall kinds first, then other violations. */
function judge(
  seed: number,
  wallMs: number,
  r: RunResult,
  slowMs: number,
): { stall?: Bad; failure?: Bad } {
  const deadlock = r.violations.find((v) => v.kind === 'deadlock');
  if (deadlock) {
    return {
      stall: {
        seed,
        what: `deadlock after ${wallMs.toFixed(0)} ms: ${deadlock.message}`,
        detail: deadlock.report ?? '',
      },
    };
  }
  if (r.exitCode === 3) {
    const e = r.error;
    return {
      stall: {
        seed,
        what: `crashed (exit code 3) in ${e?.actor ?? '?'}: ${e?.name ?? ''}: ${e?.message ?? ''}`,
        detail: e?.stack ?? '',
      },
    };
  }
  // A lost completion makes dmatest wait out its 3 s per-transfer timeout and go on.
  const timedOut = r.dmesg.filter((l) => l.includes('test timed out'));
  if (timedOut.length > 0) {
    return {
      stall: {
        seed,
        what: `${timedOut.length} dmatest transfers timed out (a lost completion), ${wallMs.toFixed(0)} ms wall`,
        detail: r.dmesg.slice(-20).join('\n'),
      },
    };
  }
  if (wallMs > slowMs) {
    return {
      stall: {
        seed,
        what: `slow: ${wallMs.toFixed(0)} ms wall (run ${r.durationMs} ms), more than ${slowMs} ms`,
        detail: r.dmesg.slice(-20).join('\n'),
      },
    };
  }
  const threads = (r.results.threads ?? []) as DmatestSummary[];
  const failed = threads.filter((t) => t.failures > 0 || t.tests !== ITERATIONS);
  if (failed.length > 0) {
    return {
      failure: {
        seed,
        what: `dmatest threads failed: ${failed.map((t) => t.line).join('; ')}`,
        detail: r.dmesg.slice(-20).join('\n'),
      },
    };
  }
  if (r.exitCode !== 0) {
    return {
      failure: {
        seed,
        what: `violations ${JSON.stringify(r.violationCounts)}`,
        detail: r.violations
          .slice(0, 3)
          .map((v) => `${v.kind}: ${v.message}${v.report ? `\n${v.report}` : ''}`)
          .join('\n'),
      },
    };
  }
  return {};
}

function print(label: string, b: Bad): void {
  console.log(`  ${label} seed=${b.seed}: ${b.what}`);
  if (b.detail) console.log(b.detail.replace(/^/gm, '    | '));
}

/** One run, judged: `slowMs` is the wall time above which it counts as a stall. */
async function one(
  seed: number,
  slowMs: number,
): Promise<{ wall: number; stall?: Bad; failure?: Bad }> {
  const t = performance.now();
  try {
    const r = await runScenario('dmatest', {
      iterations: ITERATIONS,
      seed,
      mode: MODE,
      deadline: DEADLINE,
    });
    const wall = performance.now() - t;
    return { wall, ...judge(seed, wall, r, slowMs) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return {
      wall: performance.now() - t,
      stall: { seed, what: `threw: ${e.name}: ${e.message}`, detail: e.stack ?? '' },
    };
  }
}

async function main(): Promise<number> {
  const stalls: Bad[] = [];
  const failures: Bad[] = [];
  let slowest = 0;
  let slowestSeed = -1;
  const tally = (bad: { stall?: Bad; failure?: Bad }): void => {
    if (bad.stall) {
      stalls.push(bad.stall);
      print('STALL', bad.stall);
    }
    if (bad.failure) {
      failures.push(bad.failure);
      print('FAILURE', bad.failure);
    }
  };
  console.log(
    `dmasim soak: ${RUNS} runs of dmatest (iterations ${ITERATIONS}, mode ${MODE}, ` +
      `deadline ${DEADLINE} ms, slow > ${SLOW_MS} ms), Node ${process.version}`,
  );
  console.log(`start: rss ${mib(process.memoryUsage().rss)} MiB, threads ${threadCount()}`);
  // The first run starts the pool's threads and compiles everything (2-3 s on 2 cores): it
  // is not timed against --slow-ms, but a deadlock or crash in it still counts.
  const warm = await one(FIRST_SEED, Infinity);
  tally(warm);
  console.log(
    `warm-up (seed ${FIRST_SEED}, not counted): ${warm.wall.toFixed(0)} ms, ` +
      `rss ${mib(process.memoryUsage().rss)} MiB, threads ${threadCount()}`,
  );
  const t0 = performance.now();
  let tBatch = t0;
  for (let i = 0; i < RUNS; i++) {
    const seed = FIRST_SEED + i;
    const r = await one(seed, SLOW_MS);
    if (r.wall > slowest) {
      slowest = r.wall;
      slowestSeed = seed;
    }
    tally(r);
    const done = i + 1;
    if (done % EVERY === 0 || done === RUNS) {
      const now = performance.now();
      const batch = done % EVERY === 0 ? EVERY : done % EVERY;
      const mem = process.memoryUsage();
      console.log(
        `${String(done).padStart(6)} runs  ${(batch / ((now - tBatch) / 1000)).toFixed(1).padStart(6)} runs/s` +
          `  rss ${mib(mem.rss).padStart(7)} MiB  heap ${mib(mem.heapUsed).padStart(6)} MiB  ab ${mib(mem.arrayBuffers).padStart(7)} MiB` +
          `  threads ${threadCount()}  stalls ${stalls.length}  failures ${failures.length}`,
      );
      tBatch = now;
    }
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `soak: ${RUNS} runs in ${secs.toFixed(1)} s (${(RUNS / secs).toFixed(1)} runs/s), ` +
      `slowest ${slowest.toFixed(0)} ms (seed ${slowestSeed}), ` +
      `${stalls.length} stalls, ${failures.length} other failures` +
      (stalls.length ? `; stalled seeds: ${stalls.map((s) => s.seed).join(', ')}` : ''),
  );
  return stalls.length === 0 && failures.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} finally {
  await shutdownActorPool();
}
process.exitCode = code;
