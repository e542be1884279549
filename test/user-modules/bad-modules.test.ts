import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'dmasim-bad-module-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Each bad module: its file, its source, and what stderr says after the file's name. */
const CASES: [string, string | null, RegExp][] = [
  ['missing.ts', null, /^missing\.ts: no such scenario module/],
  ['no-export.ts', 'export const other = 1;\n', /^no-export\.ts: the module exports no 'scenario'/],
  [
    'shape.mjs',
    'export const scenario = { name: "x" };\n',
    /^shape\.mjs: its 'scenario' export's 'params' must be an array of ParamDef/,
  ],
  [
    'define.ts',
    'import { defineScenario } from "dmasim";\nexport const scenario = defineScenario({ name: "x" } as never);\n',
    /^define\.ts: .*defineScenario\('x'\)'s 'cpuProgram' must be a function \(got undefined\)/,
  ],
  [
    'throws.mjs',
    'const a = 1;\nthrow new Error("boom at load");\nexport const scenario = a;\n',
    /^throws\.mjs: the scenario module does not load: Error: boom at load/,
  ],
  [
    'syntax.mjs',
    'export const scenario = {\n  name: "x",,\n};\n',
    /^syntax\.mjs:2: the scenario module does not load: SyntaxError/,
  ],
  [
    'syntax.ts',
    'const n: number = 1;\nexport const scenario = {\n  name: (n as number,\n};\n',
    /^syntax\.ts:4:\d+: the scenario module does not load: .*Unexpected "}"/,
  ],
];

describe('a bad user scenario module', () => {
  it.each(CASES)('%s exits 2 and stderr names the file and what is wrong', (file, src, re) => {
    if (src !== null) writeFileSync(join(work, file), src);
    const r = runCli(work, ['run', `./${file}`, '--mode', 'controlled'], 30_000);
    expect(r.status).toBe(2);
    expect(r.stderr.startsWith(`dmasim: ${join(work, file)}`)).toBe(true);
    expect(r.stderr.slice('dmasim: '.length + work.length + 1)).toMatch(re);
  });
});
