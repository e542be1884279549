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

/** The row of the README table that documents `--flag` (in `text`, the whole README by default). */
function row(flag: string, text = readme): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`| \`--${flag}\` |`));
}

/**
 * A scenario's own part of the README: from its `**\`name\`**` to the next scenario's, so
 * that two scenarios may each have a `--variant` with its own default.
 */
function scenarioSection(name: string): string {
  const start = readme.indexOf(`**\`${name}\`**`);
  if (start < 0) return '';
  const next = readme.indexOf('\n**`', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}

/** Expects a README row for `--flag` that gives its default. */
function expectRow(def: ParamDef, text = readme): void {
  const r = row(def.flag, text);
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

  it.each(
    SCENARIOS.flatMap((s) => s.params.map((d) => [`${s.name} --${d.flag}`, d, s.name] as const)),
  )('documents %s with its default', (_, def, name) => {
    expectRow(def, scenarioSection(name));
  });

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
