import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../support/cli.js';
import type { RunResult } from '../../src/index.js';
import { QUICK, outsideDir } from './support.js';

const work = outsideDir('memcpy-scenario.ts', 'minimal-scenario.mjs');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dmasim = (...args: string[]) => runCli(work, args, 60_000);

/** Per-CPU results of the TypeScript fixture (collect's default: `{ cpus }`). */
interface CopyResult {
  cpu: number;
  done: number;
  same: boolean;
  threadId: number;
}

describe('a user scenario module run by path', () => {
  it('runs a TypeScript module that imports dmasim by name in the actor threads, and replays it', () => {
    const r = dmasim('run', './memcpy-scenario.ts', ...QUICK, '--copies', '3', '--fail', '--json');
    expect(r.status).toBe(1);
    const run = JSON.parse(r.stdout) as RunResult & { replayFile: string };
    expect(run.scenario).toBe('user-memcpy');
    const cpus = (run.results as { cpus: CopyResult[] }).cpus;
    expect(cpus.map(({ cpu, done, same }) => ({ cpu, done, same }))).toEqual([
      { cpu: 0, done: 3, same: true },
      { cpu: 1, done: 3, same: true },
    ]);
    // Each CPU ran in a worker thread of its own, not on the host (thread 0).
    expect(cpus.every((c) => c.threadId !== 0)).toBe(true);
    expect(new Set(cpus.map((c) => c.threadId)).size).toBe(2);
    expect(run.violationCounts).toEqual({ 'user-fault': 1 });
    // The replay file names the module by URL; replay imports it from there.
    const again = dmasim('replay', run.replayFile, '--json');
    expect(again.status).toBe(1);
    const out = JSON.parse(again.stdout) as { reproduced: boolean; result: RunResult };
    expect(out.reproduced).toBe(true);
    expect(out.result.eventHash).toBe(run.eventHash);
  });

  it("shows the module's own flags under run --help", () => {
    const r = dmasim('run', './memcpy-scenario.ts', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: dmasim run \.\/memcpy-scenario\.ts/);
    expect(r.stdout).toMatch(/--copies <n>\s+copies per CPU/);
    expect(r.stdout).toMatch(/--len <n>/);
  });

  it('refuses an unknown flag of the module, naming it', () => {
    const r = dmasim('run', './memcpy-scenario.ts', '--copiez', '2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --copiez.*did you mean --copies/);
  });

  it('runs a campaign of the module by path', () => {
    const r = dmasim('campaign', './memcpy-scenario.ts', ...QUICK, '--runs', '2', '--json', '-q');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { scenario: string; runs: number; passes: number };
    expect({ scenario: s.scenario, runs: s.runs, passes: s.passes }).toEqual({
      scenario: 'user-memcpy',
      runs: 2,
      passes: 2,
    });
  });

  it('runs a scenario whose provider a module of its own defines with defineProvider()', () => {
    // No 'module' anywhere: the workers import the provider from the file that defined it.
    const mini = pathToFileURL(join(process.cwd(), 'test', 'fixtures', 'mini-provider.mjs')).href;
    writeFileSync(
      join(work, 'wrapped-provider.ts'),
      `import { defineProvider } from 'dmasim';
import { provider as mini } from ${JSON.stringify(mini)};
export const provider = defineProvider({ ...mini, name: 'minidma2', module: undefined });
`,
    );
    writeFileSync(
      join(work, 'on-wrapped.ts'),
      `import { SCENARIOS, defineScenario } from 'dmasim';
import { provider } from './wrapped-provider.ts';
const dmatest = SCENARIOS.find((s) => s.name === 'dmatest')!;
export const scenario = defineScenario({ ...dmatest, name: 'on-wrapped', providers: [provider] });
`,
    );
    const r = dmasim('run', './on-wrapped.ts', ...QUICK, '--iterations', '1', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as RunResult;
    expect(result.actors.map((a) => a.name)).toContain('dma0');
    expect(result.stats.callbacks).toBeGreaterThan(0);
  });

  it('runs a JavaScript module with every default taken', () => {
    const r = dmasim('run', 'minimal-scenario.mjs', ...QUICK, '--json');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as RunResult;
    expect(result.results).toEqual({ cpus: [{ cpu: 0, id: 0 }] });
  });
});

describe('runScenario() and startRun() with a path', () => {
  it('load the module relative to the working directory and run it', () => {
    const index = pathToFileURL(join(process.cwd(), 'dist', 'src', 'index.js')).href;
    const script = join(work, 'library.mjs');
    writeFileSync(
      script,
      `const { runScenario, startRun, shutdownActorPool } = await import(${JSON.stringify(index)});
const opts = { mode: 'controlled', seed: 1, deadline: 20000 };
const handle = startRun('./memcpy-scenario.ts', opts);
let events = 0;
handle.events$.subscribe(() => events++);
const started = await handle.result;
const ran = await runScenario('./memcpy-scenario.ts', { ...opts, copies: 1 });
const missing = await runScenario('./nosuch.ts', opts).catch((e) => e.code);
await shutdownActorPool();
console.log(JSON.stringify({ events, started: started.results, ran: ran.results, missing }));
`,
    );
    const r = spawnSync(process.execPath, [script], {
      cwd: work,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      events: number;
      started: { cpus: CopyResult[] };
      ran: { cpus: CopyResult[] };
      missing: string;
    };
    expect(out.events).toBeGreaterThan(0);
    expect(out.started.cpus.map((c) => c.done)).toEqual([2, 2]);
    expect(out.ran.cpus.map((c) => c.done)).toEqual([1, 1]);
    expect(out.missing).toBe('DMASIM_BAD_OPTION');
    expect(readdirSync(work)).not.toContain('node_modules');
  });
});
