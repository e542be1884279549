import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, shutdownActorPool, startRun } from '../../src/index.js';
import { scenario } from '../fixtures/probe-scenario.mjs';

const work = mkdtempSync(join(tmpdir(), 'dmasim-actor-profile-'));

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await shutdownActorPool();
});

/** A fresh directory for one test's profiles. */
function dir(name: string): string {
  return mkdtempSync(join(work, `${name}-`));
}

/** What a .cpuprofile must hold for DevTools and speedscope to load it. */
function expectCpuProfile(file: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  expect(Array.isArray(p.nodes) && p.nodes.length > 0).toBe(true);
  expect(Array.isArray(p.samples)).toBe(true);
  expect(Array.isArray(p.timeDeltas)).toBe(true);
  expect((p.timeDeltas as unknown[]).length).toBe((p.samples as unknown[]).length);
  expect(p.endTime as number).toBeGreaterThan(p.startTime as number);
}

describe('per-actor CPU time and CPU profiles', () => {
  it('gives every actor its thread CPU time, and no profile unless asked', async () => {
    const r = await runScenario('dmatest', { iterations: 20 });

    expect(r.exitCode).toBe(0);
    expect(r.actors.map((a) => [a.name, a.kind])).toEqual([
      ['cpu0', 'cpu'],
      ['cpu1', 'cpu'],
      ['dma0', 'engine'],
    ]);
    for (const a of r.actors) expect(a.profile).toBeUndefined();
    if (process.platform === 'linux') {
      // cpu0 fills and verifies 20 buffers: its thread cannot have spent nothing.
      expect(r.actors[0]!.cpuMs!).toBeGreaterThan(0);
    }
  });

  it('writes one valid profile per actor thread, named after the actor', async () => {
    const out = dir('clean');

    const r = await runScenario('dmatest', { iterations: 20 }, { cpuProfileDir: out });

    expect(r.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'cpu0.cpuprofile',
      'cpu1.cpuprofile',
      'dma0.cpuprofile',
    ]);
    for (const a of r.actors) {
      expect(a.profile).toBe(join(out, `${a.name}.cpuprofile`));
      expectCpuProfile(a.profile!);
    }
  });

  it('still writes the profiles of a run ended early by its signal', async () => {
    const out = dir('aborted');
    const stop = new AbortController();
    const run = startRun(
      'memcpy-stream',
      { channels: 1, duration: 10_000 },
      {
        signal: stop.signal,
        cpuProfileDir: out,
      },
    );
    // The first event proves the actors run; then the run is stopped.
    await new Promise<void>((resolve) => {
      const sub = run.events$.subscribe(() => {
        sub.unsubscribe();
        resolve();
      });
    });
    stop.abort();

    const r = await run.result;

    expect(r.interrupted).toBe(true);
    for (const a of r.actors) expectCpuProfile(a.profile!);
  });

  it('stops the profiler with the run: the next run on the same threads has none', async () => {
    const out = dir('reuse');
    await runScenario(scenario, { probe: 'in-order', channels: 1 }, { cpuProfileDir: out });
    const before = readdirSync(out).length;

    const next = await runScenario(scenario, { probe: 'in-order', channels: 1 });

    expect(next.exitCode).toBe(0);
    expect(next.actors.every((a) => a.profile === undefined)).toBe(true);
    expect(readdirSync(out).length).toBe(before);
  });

  it('reports a profile it cannot write and keeps the run', async () => {
    const missing = join(work, 'no-such-dir');

    const r = await runScenario(
      scenario,
      { probe: 'in-order', channels: 1 },
      { cpuProfileDir: missing },
    );

    expect(r.exitCode).toBe(0);
    for (const a of r.actors) {
      expect(a.profile).toBeUndefined();
      expect(a.profileError).toMatch(/ENOENT/);
    }
  });
});
