import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CAMPAIGN_OPTION_DEFS,
  PROFILE_OPTION_DEFS,
  PROVIDERS,
  RUN_OPTION_DEFS,
  SCENARIOS,
  SHRINK_OPTION_DEFS,
  type ParamDef,
} from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the README tables that document `--flag` (one per scenario that has it). */
function rows(flag: string): string[] {
  return readme.split('\n').filter((l) => l.startsWith(`| \`--${flag}\` |`));
}

/** Expects a README row for `--flag` that gives its default. */
function expectRow(def: ParamDef): void {
  const found = rows(def.flag);
  expect(found.length, `no README row for --${def.flag}`).toBeGreaterThan(0);
  const cell = `| ${def.default === '' ? '(empty)' : String(def.default)} |`;
  expect(
    found.find((r) => r.includes(cell)) ?? found[0],
    `no README row for --${def.flag} gives ${cell}`,
  ).toContain(cell);
}

describe('README', () => {
  it('gives the two commands of a fresh machine', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });

  it.each(
    [
      ...RUN_OPTION_DEFS,
      ...CAMPAIGN_OPTION_DEFS,
      ...PROFILE_OPTION_DEFS,
      ...SHRINK_OPTION_DEFS,
    ].map((d) => [d.flag, d] as const),
  )('documents --%s with its default', (_, def) => {
    expectRow(def);
  });

  it.each(SCENARIOS.flatMap((s) => s.params.map((d) => [`${s.name} --${d.flag}`, d] as const)))(
    'documents %s with its default',
    (_, def) => {
      expectRow(def);
    },
  );

  it.each(PROVIDERS.flatMap((p) => p.options.map((d) => [`${p.name} --${d.flag}`, d] as const)))(
    'documents provider option %s with its default',
    (_, def) => {
      expectRow(def);
    },
  );

  it('names every scenario', () => {
    for (const s of SCENARIOS) expect(readme).toContain(`**\`${s.name}\`**`);
  });

  it('names every built-in provider', () => {
    for (const p of PROVIDERS) expect(readme).toContain(`**\`${p.name}\`**`);
  });
});
