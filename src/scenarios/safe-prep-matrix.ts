import { runScenario } from '../host/run.js';
import type { CompositeResult, CompositeScenario } from './composite.js';
import type { ParamDef } from './param-schema.js';
import { resolveParams } from './param-schema.js';
import { configRaceScenario } from './config-race.js';

/** One row of the matrix: a way to combine config and prep, as some version had it. */
interface Variant {
  variant: string;
  what: string;
  options: Record<string, unknown>;
  /** Kinds that must be found, per callback context. */
  expected: { softirq: string[]; hardirq: string[] };
  /** Kinds that may also be found (a real deadlock needs an interrupt inside the section). */
  optional: string[];
}

const DEADLOCK = ['deadlock', 'recursive-locking'];

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
    optional: [],
  },
  {
    variant: 'mutex',
    what: 'prep_config_single_safe with a mutex (v3)',
    options: { api: 'safe', lock: 'mutex' },
    expected: { softirq: ['sleep-in-atomic'], hardirq: ['sleep-in-atomic'] },
    // lockdep also sees the mutex taken in an interrupt and with interrupts on.
    optional: [...DEADLOCK, 'inconsistent-lock-state'],
  },
  {
    variant: 'spin_lock',
    what: 'prep_config_single_safe with spin_lock (v4/v5)',
    options: { api: 'safe', lock: 'spin_lock' },
    expected: { softirq: ['inconsistent-lock-state'], hardirq: ['inconsistent-lock-state'] },
    optional: DEADLOCK,
  },
  {
    variant: 'spin_lock_bh',
    what: 'prep_config_single_safe with spin_lock_bh',
    options: { api: 'safe', lock: 'spin_lock_bh' },
    expected: { softirq: [], hardirq: ['inconsistent-lock-state'] },
    optional: DEADLOCK,
  },
  {
    variant: 'irqsave',
    what: 'prep_config_single_safe with spin_lock_irqsave (v6+, as applied)',
    options: { api: 'safe', lock: 'irqsave' },
    expected: { softirq: [], hardirq: [] },
    optional: [],
  },
  {
    variant: 'provider',
    what: 'prep_config_single_safe on a provider with device_prep_config_sg (no framework lock)',
    options: { api: 'safe', providerAtomic: true },
    expected: { softirq: [], hardirq: [] },
    optional: [],
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
  /** How many violations of each kind the run found. */
  counts: Record<string, number>;
  exitCode: number;
}

const PARAMS: readonly ParamDef[] = [
  {
    key: 'seed',
    flag: 'seed',
    kind: 'uint',
    default: 1,
    max: 0xffffffff,
    help: 'seed of every run of the matrix',
  },
  {
    key: 'duration',
    flag: 'duration',
    kind: 'uint',
    default: 700,
    min: 50,
    help: 'ms each cell runs config-race',
  },
];

/** Whether a cell found exactly what its row expects (optional kinds allowed). */
export function cellOk(
  found: readonly string[],
  expected: readonly string[],
  optional: readonly string[],
): boolean {
  return (
    expected.every((k) => found.includes(k)) &&
    found.every((k) => expected.includes(k) || optional.includes(k))
  );
}

function render(cells: readonly MatrixCell[], ok: boolean): string {
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
    const p = resolveParams(PARAMS, options) as { seed: number; duration: number };
    const t0 = performance.now();
    const cells: MatrixCell[] = [];
    for (const v of VARIANTS) {
      for (const ctx of CONTEXTS) {
        const r = await runScenario(configRaceScenario, {
          ...v.options,
          callbackContext: ctx,
          seed: p.seed,
          duration: p.duration,
        });
        const found = Object.keys(r.violationCounts).sort();
        const expected = v.expected[ctx];
        cells.push({
          variant: v.variant,
          callbackContext: ctx,
          found,
          expected,
          ok: r.exitCode !== 3 && cellOk(found, expected, v.optional),
          counts: r.violationCounts,
          exitCode: r.exitCode,
        });
      }
    }
    const ok = cells.every((c) => c.ok);
    const result: CompositeResult = {
      exitCode: ok ? 0 : 1,
      json: {
        scenario: 'safe-prep-matrix',
        seed: p.seed,
        durationMs: Math.round(performance.now() - t0),
        ok,
        matrix: cells,
      },
      text: render(cells, ok),
    };
    return result;
  },
};
