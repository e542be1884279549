import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../src/index.js';
import { median, type Figure } from './measure.js';
import type { FigureSink } from './schedule-bench.js';
import { scenario as pathScenario } from './memcpy-path.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const C_PATH = join(root, 'perf', 'c', 'memcpy-path.c');
const CLI = join(root, 'dist', 'src', 'cli', 'main.js');

const fig = (unit: string, samples: number[]): Figure => ({
  value: median(samples),
  unit,
  samples,
});

/** Whole-process seconds of `dmasim run <c file>` (compile included) with cache `cache`. */
function firstRun(cache: string): number {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [CLI, 'run', C_PATH, '--mode', 'controlled', '--iterations', '1', '--quiet'],
    { env: { ...process.env, DMASIM_CACHE_DIR: cache }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`dmasim run ${C_PATH} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

/** CPU-thread ns per transfer of the 64 B callback path (one CPU, controlled). */
async function pathNs(lang: 'c' | 'ts', iterations: number, kcsan: boolean): Promise<number> {
  const r = await runScenario(pathScenario, {
    lang,
    source: C_PATH,
    iterations,
    kcsan,
    cpus: 1,
    mode: 'controlled',
  });
  if (r.exitCode !== 0)
    throw new Error(`${lang} path run failed: ${JSON.stringify(r.violations[0] ?? r.error)}`);
  const cpu = (r.results.cpus as { ret: number; cpuNs: number }[])[0]!;
  if (cpu.ret !== iterations)
    throw new Error(`${lang} path: ${cpu.ret} of ${iterations} transfers`);
  return cpu.cpuNs / iterations;
}

/**
 * A C driver: the time to its first run (a process that compiles it into an empty cache,
 * against one that finds it there), what --kcsan costs its callback path, and that path
 * against the same path in TypeScript, alternating rep by rep in one bench run.
 */
export async function benchCDriver(
  out: FigureSink,
  reps: number,
  iterations: number,
): Promise<void> {
  out.log('a C driver (perf/c/memcpy-path.c): time to first run, --kcsan, C vs TypeScript:');
  const cache = mkdtempSync(join(tmpdir(), 'dmasim-bench-cc-'));
  try {
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < reps; i++) {
      rmSync(cache, { recursive: true, force: true });
      cold.push(firstRun(cache));
      warm.push(firstRun(cache));
    }
    out.add(
      'c_first_run_cold_s',
      '  first run, compile into an empty cache (process)',
      fig('s', cold),
    );
    out.add(
      'c_first_run_cached_s',
      '  first run, build found in the cache (process)',
      fig('s', warm),
    );
    const prev = process.env.DMASIM_CACHE_DIR;
    process.env.DMASIM_CACHE_DIR = cache;
    try {
      // Both builds into the cache and each path warm once.
      await pathNs('c', 20, false);
      await pathNs('c', 20, true);
      await pathNs('ts', 20, false);
      const c: number[] = [];
      const k: number[] = [];
      const t: number[] = [];
      for (let i = 0; i < reps; i++) {
        c.push(await pathNs('c', iterations, false));
        k.push(await pathNs('c', iterations, true));
        t.push(await pathNs('ts', iterations, false));
      }
      out.add('c_path_ns', '  C callback path: CPU-thread ns per 64 B copy', fig('ns', c));
      out.add('c_path_kcsan_ns', '  the same with --kcsan', fig('ns', k));
      out.add('ts_path_ns', '  the same path in TypeScript', fig('ns', t));
      out.add(
        'c_kcsan_ratio',
        '  --kcsan / plain (C), ns',
        fig(
          'x',
          k.map((v, i) => v / c[i]!),
        ),
      );
      out.add(
        'c_vs_ts_ratio',
        '  C / TypeScript, ns',
        fig(
          'x',
          c.map((v, i) => v / t[i]!),
        ),
      );
    } finally {
      if (prev === undefined) delete process.env.DMASIM_CACHE_DIR;
      else process.env.DMASIM_CACHE_DIR = prev;
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}
