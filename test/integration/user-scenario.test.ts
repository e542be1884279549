import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import { actorPool } from '../../src/host/pool.js';
import { scenario as probe } from '../fixtures/probe-scenario.mjs';
import { refusal } from '../support/refusal.js';

const dir = mkdtempSync(join(tmpdir(), 'dmasim-user-scenario-'));
const dmasim = pathToFileURL(join(import.meta.dirname, '../../dist/src/index.js')).href;
const scenarioModule = pathToFileURL(
  join(import.meta.dirname, '../../dist/src/host/scenario-module.js'),
).href;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await shutdownActorPool();
});

/** A scenario module file with `source`, and the probe scenario pointing at it. */
function moduleScenario(name: string, source: string) {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, source);
  return { file, scenario: { ...probe, module: pathToFileURL(file).href } };
}

describe('a user scenario module', () => {
  it.each([
    [
      'syntax-error',
      'export const scenario = {\n  name: "x",,\n};\n',
      // Its line: see the test below (vitest's loader parses modules imported here).
      ': the scenario module does not load',
    ],
    [
      'throws',
      'throw new Error("not today");\n',
      ': the scenario module does not load: Error: not today',
    ],
    ['no-export', 'export const other = 1;\n', ": the module exports no 'scenario'"],
    [
      'wrong-shape',
      'export const scenario = { name: "half", params: [], defaults: {} };\n',
      ": its 'scenario' export's 'plan' must be a function (got undefined)",
    ],
  ])(
    'that cannot be used (%s) is refused as bad input naming the file, before any thread starts',
    async (name, source, says) => {
      const { file, scenario } = moduleScenario(name, source);
      const threads = actorPool().threads.length;
      const err = await refusal(runScenario(scenario, { channels: 1 }));
      expect(err.code).toBe('DMASIM_BAD_OPTION');
      expect(err.message).toContain(`${file}${says}`);
      expect(actorPool().threads.length).toBe(threads);
    },
  );

  it("that only a worker refuses is bad input too, not an actor's failure to start", async () => {
    // The host thread marks its global: the module exports a usable scenario there only.
    const { file, scenario } = moduleScenario(
      'worker-only',
      `import { SCENARIOS } from '${dmasim}';\n` +
        `export const scenario = globalThis.dmasimTestHost ? SCENARIOS[0] : { name: 'gone' };\n`,
    );
    (globalThis as { dmasimTestHost?: boolean }).dmasimTestHost = true;
    try {
      const err = await refusal(runScenario(scenario, { channels: 1 }));
      expect(err.code).toBe('DMASIM_BAD_OPTION');
      expect(err.message).toContain(`${file}: its 'scenario' export's 'params' must be`);
    } finally {
      delete (globalThis as { dmasimTestHost?: boolean }).dmasimTestHost;
    }
  });

  it('with a syntax error is refused with its file and line, as node reports it', () => {
    // Outside vitest, whose own loader would parse the module instead of node's.
    const { file } = moduleScenario(
      'syntax-error-line',
      'export const scenario = {\n  name: "x",,\n};\n',
    );
    const script =
      `import(${JSON.stringify(scenarioModule)}).then((m) => m.importScenario(${JSON.stringify(pathToFileURL(file).href)}))` +
      '.then(() => console.log("loaded"), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));';
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.error) throw r.error;
    expect(JSON.parse(r.stdout)).toEqual({
      code: 'DMASIM_BAD_OPTION',
      message: `${file}:2: the scenario module does not load: SyntaxError: Unexpected token ','`,
    });
  });

  it.each([
    ['return-promise', 'a Promise'],
    ['return-function', 'a function'],
  ])(
    'whose cpuProgram returns no data (%s) crashes its CPU, naming the scenario, the CPU and the value',
    async (p, what) => {
      const r = await runScenario(probe, { probe: p, channels: 1, deadline: 20_000 });
      expect(r.exitCode).toBe(3);
      expect(r.error).toMatchObject({ actor: 'cpu0', code: 'DMASIM_ACTOR_CRASHED' });
      expect(r.error?.message).toContain(`scenario 'probe': cpuProgram of cpu0 returned ${what}`);
      expect(r.error?.message).toContain('structured-clonable data');
    },
  );
});

describe('runScenario', () => {
  it('rejects its promise for a bad option instead of throwing', async () => {
    let run: Promise<unknown> | undefined;
    expect(() => (run = runScenario('dmatest', { threadsPerChan: 'x' }))).not.toThrow();
    expect((await refusal(run!)).code).toBe('DMASIM_BAD_OPTION');
  });

  it('rejects a scenario object of the wrong shape', async () => {
    const err = await refusal(runScenario({ ...probe, plan: undefined } as never));
    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toBe("the scenario object's 'plan' must be a function (got undefined)");
  });
});
