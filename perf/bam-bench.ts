// BAM pipe locking as execution environments are added: data throughput through the BAM,
// locks per second and each EE's lock wait (median and p99) at 1, 2, 4 and 8 EEs sharing
// one crypto engine. Free runs of bam-pipe-lock with the engine as fast as the host
// (--qce-rate 0), so that the lock bracket, not the engine, is what the EEs share; then the
// controlled default (virtual time, the engine at 64 B/ms), where a lock wait is the other
// EEs' hold times: wait p50 ~ (EEs - 1) x hold p50. `node dist/perf/bam-bench.js [--json]`
// runs it alone; `npm run bench` includes it.
import { pathToFileURL } from 'node:url';
import { runScenario, shutdownActorPool, type RunResult } from '../src/index.js';
import type { QceEeResult } from '../src/clients/qce-bam/client.js';
import { human, median, type Figure } from './measure.js';
import type { FigureSink } from './schedule-bench.js';

const EES = [1, 2, 4, 8] as const;
/** Bytes of each request's data in the free runs. */
const LEN = 4096;

interface BamResults {
  ees: Omit<QceEeResult, 'totals'>[];
  totals: { bytes: number; locks: number; waitMs: number; holdMs: number };
}

/** One run's figures. Throughput is over the run's own time (RunResult.durationMs). */
interface Sample {
  mbPerS: number;
  locksPerS: number;
  waitP50: number;
  waitP99: number;
  holdP50: number;
}

/** What went wrong in the runs, if anything: a bench of a broken driver says so. */
type Problems = string[];

async function once(
  params: Record<string, unknown>,
  requests: number,
  problems: Problems,
): Promise<Sample> {
  const r: RunResult = await runScenario('bam-pipe-lock', {
    replayOut: '',
    deadline: 120_000,
    iterations: requests,
    ...params,
  });
  if (r.exitCode === 3) throw new Error(`bam-pipe-lock run crashed: ${JSON.stringify(r.error)}`);
  const res = r.results as unknown as BamResults;
  const short = res.ees.filter((e) => e.requests < requests || e.failed > 0).length;
  if (r.exitCode !== 0 || short > 0) {
    problems.push(
      `${res.ees.length} EE(s) ${r.mode}: exit ${r.exitCode} ${JSON.stringify(r.violationCounts)}` +
        `${short ? `, ${short} EE(s) short of ${requests} requests` : ''}`,
    );
  }
  const s = r.durationMs / 1000;
  return {
    mbPerS: res.totals.bytes / s / 1e6,
    locksPerS: res.totals.locks / s,
    waitP50: median(res.ees.map((e) => e.lockWaitMsP50)),
    waitP99: median(res.ees.map((e) => e.lockWaitMsP99)),
    holdP50: median(res.ees.map((e) => e.lockHoldMsP50)),
  };
}

const fig = (unit: string, samples: number[]): Figure => ({
  value: median(samples),
  unit,
  samples,
});

/**
 * Free runs at 1, 2, 4 and 8 EEs (`reps` rounds of all four, after a warm-up run), then
 * one controlled run per seed 1..reps at each: figures into `out`, medians over reps.
 * @param requests requests of every free run over all EEs (each EE sends its share)
 */
export async function benchBam(out: FigureSink, reps: number, requests = 320): Promise<void> {
  const problems: Problems = [];
  out.log(
    `BAM pipe locking (bam-pipe-lock, free, --qce-rate 0, ${LEN} B requests, ${requests} over all EEs): per run time (durationMs)`,
  );
  const per = (n: number): number => Math.max(1, Math.round(requests / n));
  const free = (n: number): Promise<Sample> =>
    once({ mode: 'free', ees: n, len: LEN, qceRate: 0 }, per(n), problems);
  await free(1);
  const runs = new Map<number, Sample[]>(EES.map((n) => [n, []]));
  for (let i = 0; i < reps; i++) {
    for (const n of EES) runs.get(n)!.push(await free(n));
  }
  for (const n of EES) {
    const s = runs.get(n)!;
    const p = `bam_${n}ee`;
    out.add(
      `${p}_mb_per_s`,
      `  ${n} EE(s): data through the BAM`,
      fig(
        'MB/s',
        s.map((x) => x.mbPerS),
      ),
    );
    out.add(
      `${p}_locks_per_s`,
      '    locks',
      fig(
        'locks/s',
        s.map((x) => x.locksPerS),
      ),
    );
    out.add(
      `${p}_wait_p50_ms`,
      '    lock wait p50 (median over EEs)',
      fig(
        'ms',
        s.map((x) => x.waitP50),
      ),
    );
    out.add(
      `${p}_wait_p99_ms`,
      '    lock wait p99 (median over EEs)',
      fig(
        'ms',
        s.map((x) => x.waitP99),
      ),
    );
    out.add(
      `${p}_hold_p50_ms`,
      '    lock hold p50 (median over EEs)',
      fig(
        'ms',
        s.map((x) => x.holdP50),
      ),
    );
  }
  const one = runs.get(1)!;
  out.add(
    'bam_8ee_over_1ee',
    '  throughput 8 EEs / 1 EE',
    fig(
      'x',
      runs.get(8)!.map((x, i) => x.mbPerS / one[i]!.mbPerS),
    ),
  );
  out.log('');
  out.log(
    'BAM pipe locking, controlled default (virtual time, --qce-rate 64, 1024 B, 8 requests per EE): wait ~ (EEs - 1) x hold',
  );
  for (const n of EES) {
    const s: Sample[] = [];
    for (let seed = 1; seed <= reps; seed++) s.push(await once({ ees: n, seed }, 8, problems));
    const p = `bam_controlled_${n}ee`;
    const wait = fig(
      'ms',
      s.map((x) => x.waitP50),
    );
    const hold = fig(
      'ms',
      s.map((x) => x.holdP50),
    );
    out.add(`${p}_wait_p50_ms`, `  ${n} EE(s): lock wait p50`, wait);
    out.add(`${p}_hold_p50_ms`, '    lock hold p50', hold);
    out.add(`${p}_wait_over_hold`, `    wait / hold (EEs - 1 = ${n - 1})`, {
      value: hold.value > 0 ? wait.value / hold.value : 0,
      unit: 'x',
      samples: [],
    });
  }
  out.add('bam_unclean_runs', '  runs with violations or unfinished requests', {
    value: problems.length,
    unit: 'runs',
    samples: [],
  });
  for (const p of problems) out.log(`    ${p}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const json = process.argv.includes('--json');
  const figures: Record<string, Figure> = {};
  const sink: FigureSink = {
    add(name, label, f) {
      figures[name] = f;
      if (!json) {
        const v =
          f.unit === 'x'
            ? f.value.toFixed(2)
            : f.unit === 'ms'
              ? f.value.toFixed(3)
              : human(f.value);
        console.log(`${label.padEnd(58)} ${v.padStart(10)} ${f.unit}`);
      }
    },
    log: (line) => {
      if (!json) console.log(line);
    },
  };
  try {
    await benchBam(sink, process.argv.includes('--quick') ? 1 : 3);
  } finally {
    await shutdownActorPool();
  }
  if (json) console.log(JSON.stringify({ figures }));
}
