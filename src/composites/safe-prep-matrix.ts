import { runScenario } from '../host/run.js';
import type { CompositeResult, CompositeScenario } from './composite.js';
import type { ParamDef } from '../platform/param-schema.js';
import { resolveParams } from '../platform/param-schema.js';
import { configRaceScenario } from '../scenarios/config-race.js';

/** One row of the matrix: a way to combine config and prep, as some version had it. */
interface Variant {
  variant: string;
  what: string;
  options: Record<string, unknown>;
  /** Kinds that must be found, per callback context, and nothing else. */
  expected: { softirq: string[]; hardirq: string[] };
  /**
   * Kinds of `expected` that need an interrupt to land inside the critical section: the
   * controlled schedule puts it there, a free or chaos run only when the OS does.
   */
  racy: string[];
}

/** The self-deadlock of a lock taken again by a callback on the CPU that holds it. */
const DEADLOCK = ['recursive-locking', 'deadlock'];

/** The rows: the old pattern, each version of the safe prep series, and the provider callback. */
export const VARIANTS: readonly Variant[] = [
  {
    variant: 'unsafe',
    what: 'slave_config, then prep_slave_single (the old client pattern)',
    options: { api: 'unsafe' },
    expected: {
      softirq: ['config-prep-mismatch', 'data-corruption'],
      hardirq: ['config-prep-mismatch', 'data-corruption'],
    },
    racy: [],
  },
  {
    variant: 'mutex',
    what: 'prep_config_single_safe with a mutex (v3)',
    options: { api: 'safe', lock: 'mutex' },
    // lockdep also sees the mutex taken in an interrupt and with interrupts on.
    expected: {
      softirq: ['sleep-in-atomic', 'inconsistent-lock-state', ...DEADLOCK],
      hardirq: ['sleep-in-atomic', 'inconsistent-lock-state', ...DEADLOCK],
    },
    racy: DEADLOCK,
  },
  {
    variant: 'spin_lock',
    what: 'prep_config_single_safe with spin_lock (v4/v5)',
    options: { api: 'safe', lock: 'spin_lock' },
    expected: {
      softirq: ['inconsistent-lock-state', ...DEADLOCK],
      hardirq: ['inconsistent-lock-state', ...DEADLOCK],
    },
    racy: DEADLOCK,
  },
  {
    variant: 'spin_lock_bh',
    what: 'prep_config_single_safe with spin_lock_bh',
    options: { api: 'safe', lock: 'spin_lock_bh' },
    expected: { softirq: [], hardirq: ['inconsistent-lock-state', ...DEADLOCK] },
    racy: DEADLOCK,
  },
  {
    variant: 'irqsave',
    what: 'prep_config_single_safe with spin_lock_irqsave (v6+, as applied)',
    options: { api: 'safe', lock: 'irqsave' },
    expected: { softirq: [], hardirq: [] },
    racy: [],
  },
  {
    variant: 'provider',
    what: 'prep_config_single_safe on a provider with device_prep_config_sg (no framework lock)',
    options: { api: 'safe', providerAtomic: true },
    expected: { softirq: [], hardirq: [] },
    racy: [],
  },
];

const CONTEXTS = ['softirq', 'hardirq'] as const;

/** One cell of the matrix. */
export interface MatrixCell {
  variant: string;
  callbackContext: (typeof CONTEXTS)[number];
  found: string[];
  expected: string[];
  ok: boolean;
  /** How many violations of each kind its runs found. */
  counts: Record<string, number>;
  exitCode: number;
  /** Seeds the cell ran (controlled: from --seed until what it expects is found). */
  seeds: number[];
}

const PARAMS: readonly ParamDef[] = [
  {
    key: 'mode',
    flag: 'mode',
    kind: 'choice',
    default: 'controlled',
    choices: ['controlled', 'chaos', 'free'],
    help: 'how the cells run: controlled (exact, seeded), chaos or free (stress, timing decides)',
  },
  {
    key: 'seed',
    flag: 'seed',
    kind: 'uint',
    default: 1,
    max: 0xffffffff,
    help: 'seed of the first run of each cell',
  },
  {
    key: 'runs',
    flag: 'runs',
    kind: 'uint',
    default: 8,
    min: 1,
    max: 1000,
    help: 'controlled: seeds a cell may try (--seed, --seed + 1, ...) to find what it expects',
  },
  {
    key: 'duration',
    flag: 'duration',
    kind: 'uint',
    default: 700,
    min: 50,
    help: 'free and chaos: ms each cell runs config-race',
  },
];

/**
 * Whether a cell found exactly what its row expects: every expected kind and nothing else;
 * `optional` kinds may be missing (a free run's timing decides them).
 */
export function cellOk(
  found: readonly string[],
  expected: readonly string[],
  optional: readonly string[] = [],
): boolean {
  return (
    expected.every((k) => found.includes(k) || optional.includes(k)) &&
    found.every((k) => expected.includes(k))
  );
}

function render(cells: readonly MatrixCell[], ok: boolean, mode: string): string {
  const cell = (c: MatrixCell | undefined): string => {
    if (!c) return '';
    const what = c.found.length ? c.found.map((k) => `${k} (${c.counts[k]})`).join(', ') : 'clean';
    return `${c.ok ? 'ok ' : 'BAD'} ${what}`;
  };
  const rows = VARIANTS.map((v) => {
    const at = (ctx: string): MatrixCell | undefined =>
      cells.find((c) => c.variant === v.variant && c.callbackContext === ctx);
    return [v.variant, cell(at('softirq')), cell(at('hardirq'))] as const;
  });
  // Columns as wide as their widest cell, two spaces apart.
  const w0 = Math.max(7, ...rows.map((r) => r[0].length)) + 2;
  const w1 = Math.max(20, ...rows.map((r) => r[1].length)) + 2;
  const lines = [`${'variant'.padEnd(w0)}${'callbacks in softirq'.padEnd(w1)}callbacks in hardirq`];
  for (const r of rows) lines.push(`${r[0].padEnd(w0)}${r[1].padEnd(w1)}${r[2]}`);
  lines.push('');
  if (mode === 'controlled') {
    const seeds = cells.flatMap((c) => c.seeds);
    lines.push(
      `controlled: each cell ran seeds ${Math.min(...seeds)}..${Math.max(...seeds)} at most, ` +
        'stopping once it found every kind it expects; counts add up over its runs',
    );
  } else {
    lines.push(
      `${mode}: one run per cell; the self-deadlock needs an interrupt inside the section, so it may be missing`,
    );
  }
  for (const c of cells.filter((x) => !x.ok)) {
    lines.push(
      `BAD ${c.variant}/${c.callbackContext}: expected ${c.expected.join(', ') || 'clean'}, found ${c.found.join(', ') || 'nothing'}`,
    );
  }
  lines.push(
    ok ? 'every cell matches its expectation' : 'some cells do not match their expectation',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * One cell. Controlled: seeds from `seed` on, each run deterministic, until the cell found
 * every kind it expects (or `runs` seeds were tried); the cell is what they found together.
 * Free and chaos: one run of `duration` ms, the kinds that need lucky timing optional.
 */
async function runCell(
  v: Variant,
  ctx: (typeof CONTEXTS)[number],
  p: { mode: 'controlled' | 'chaos' | 'free'; seed: number; runs: number; duration: number },
): Promise<MatrixCell> {
  const expected = v.expected[ctx];
  const counts: Record<string, number> = {};
  const seeds: number[] = [];
  let exitCode = 0;
  const runs = p.mode === 'controlled' ? p.runs : 1;
  for (let k = 0; k < runs; k++) {
    const seed = (p.seed + k) >>> 0;
    seeds.push(seed);
    const r = await runScenario(configRaceScenario, {
      ...v.options,
      callbackContext: ctx,
      seed,
      mode: p.mode,
      ...(p.mode === 'controlled' ? {} : { duration: p.duration }),
    });
    exitCode = Math.max(exitCode, r.exitCode);
    for (const [kind, n] of Object.entries(r.violationCounts))
      counts[kind] = (counts[kind] ?? 0) + n;
    if (r.exitCode === 3 || (expected.length > 0 && expected.every((x) => counts[x]))) break;
  }
  const found = Object.keys(counts).sort();
  const optional = p.mode === 'controlled' ? [] : v.racy;
  return {
    variant: v.variant,
    callbackContext: ctx,
    found,
    expected,
    ok: exitCode !== 3 && cellOk(found, expected, optional),
    counts,
    exitCode,
    seeds,
  };
}

/**
 * `safe-prep-matrix`: config-race in every variant (rows) with callbacks in softirq and in
 * hardirq context (columns); a cell is what the run found. Exit 0 when every cell matches.
 */
export const safePrepMatrix: CompositeScenario = {
  kind: 'composite',
  name: 'safe-prep-matrix',
  summary:
    'config-race in every safe-prep variant x callback context: what each version of the API does',
  params: PARAMS,
  async run(options) {
    const p = resolveParams(PARAMS, options) as {
      mode: 'controlled' | 'chaos' | 'free';
      seed: number;
      runs: number;
      duration: number;
    };
    const t0 = performance.now();
    const cells: MatrixCell[] = [];
    for (const v of VARIANTS) {
      for (const ctx of CONTEXTS) cells.push(await runCell(v, ctx, p));
    }
    const ok = cells.every((c) => c.ok);
    const result: CompositeResult = {
      exitCode: ok ? 0 : 1,
      json: {
        scenario: 'safe-prep-matrix',
        mode: p.mode,
        seed: p.seed,
        durationMs: Math.round(performance.now() - t0),
        ok,
        matrix: cells,
      },
      text: render(cells, ok, p.mode),
    };
    return result;
  },
};
