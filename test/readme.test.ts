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

/** The row of the README table that documents `--flag`. */
function row(flag: string): string | undefined {
  return readme.split('\n').find((l) => l.startsWith(`| \`--${flag}\` |`));
}

/** Expects a README row for `--flag` that gives its default. */
function expectRow(def: ParamDef): void {
  const r = row(def.flag);
  expect(r, `no README row for --${def.flag}`).toBeDefined();
  expect(r).toContain(`| ${def.default === '' ? '(empty)' : String(def.default)} |`);
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
