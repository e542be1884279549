import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ARENA_MAX_BYTES,
  DmasimError,
  runScenario,
  shutdownActorPool,
  startRun,
} from '../../src/index.js';
import { MAX_ACTORS, actorPool } from '../../src/host/pool.js';
import type { DmatestSummary } from '../../src/clients/dmatest/thread.js';
import { thrown } from '../support/thrown.js';
import { scenario } from '../fixtures/probe-scenario.mjs';
import { scenario as undersized } from '../fixtures/undersized-arena.mjs';
import { VREG } from '../../src/providers/vdma/hw-regs.js';

// The CLI test runs the built CLI, as a user would: `npm run build` first.
const cliPath = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dmasim-lifecycle-'));

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run 'npm run build' first`);
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  await shutdownActorPool();
});

/** 2 controllers x 32 channels x 2 threads: 128 CPUs + 2 engines, more than MAX_ACTORS. */
const TOO_MANY = { controllers: 2, channels: 32, threadsPerChan: 2 };

describe('run lifecycle', () => {
  it('a worker thread that exits is noticed at once and reported only as the crash', async () => {
    const t0 = performance.now();
    const r = await runScenario(scenario, { probe: 'exit', channels: 1, deadline: 20_000 });
    // Far sooner than the deadline: the dead thread ends the run, not the watchdog.
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.exitCode).toBe(3);
    expect(r.error?.actor).toBe('cpu0');
    expect(r.error?.message).toMatch(/exit.*\b7\b/);
    expect(r.violationCounts).toEqual({});
    expect(r.violations).toEqual([]);
    // The dead thread left the pool: the next run starts another one and works.
    const next = await runScenario(scenario, { probe: 'in-order', channels: 1 });
    expect(next.exitCode).toBe(0);
    expect(next.results.probe).toMatchObject({ completed: true, copied: true });
  });

  it('refuses a run needing more than MAX_ACTORS actors before any thread starts', async () => {
    const before = actorPool().threads.length;
    // startRun() throws; runScenario() rejects its promise.
    for (const err of [
      thrown(() => startRun('dmatest', TOO_MANY)),
      await runScenario('dmatest', TOO_MANY).then(
        () => null,
        (e: unknown) => e,
      ),
    ]) {
      expect(err).toBeInstanceOf(DmasimError);
      expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
      const message = (err as DmasimError).message;
      expect(message).toContain('130 actors (128 CPUs + 2 engines)');
      expect(message).toContain(`${MAX_ACTORS}`);
      for (const flag of ['--controllers', '--channels']) expect(message).toContain(flag);
    }
    expect(actorPool().threads.length).toBe(before);
  });

  it('the CLI refuses it with exit code 2 and the message on stderr', () => {
    const r = spawnSync(
      process.execPath,
      [
        cliPath,
        'run',
        'dmatest',
        '--controllers',
        '2',
        '--channels',
        '32',
        '--threads-per-chan',
        '2',
      ],
      { encoding: 'utf8', timeout: 30_000, cwd: work },
    );
    if (r.error) throw r.error;
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('130 actors (128 CPUs + 2 engines)');
    expect(r.stderr).toMatch(/lower --controllers, --channels/);
  });

  it('refuses a run needing more arena than an arena can have, naming the figures and flags', () => {
    const err = thrown(() => startRun('memcpy-stream', { size: 1 << 20, window: 4096 }));
    expect(err).toBeInstanceOf(DmasimError);
    expect((err as DmasimError).code).toBe('DMASIM_BAD_OPTION');
    const message = (err as DmasimError).message;
    // Buffers, the plan's slack, one 64-byte stream struct per CPU of declared state, and
    // vdma's registers and queue for each of its 2 channels.
    const buffers = 2 * 2 * 4096 * (1 << 20) + 2 * 128 + (1 << 20);
    expect(message).toContain(`needs ${buffers + 2 * 64 + 2 * VREG.BYTES} bytes`);
    expect(message).toContain(`${ARENA_MAX_BYTES}`);
    for (const flag of ['--size', '--window']) expect(message).toContain(flag);
  });

  it('a client that gets NULL from the arena crashes saying so, not as a deadlock', async () => {
    const r = await runScenario(undersized, {
      size: 65536,
      window: 16,
      iterations: 4,
      deadline: 10_000,
    });
    expect(r.exitCode).toBe(3);
    expect(r.error).toMatchObject({ code: 'DMASIM_INTERNAL' });
    expect(r.error?.message).toContain('the arena has no room');
    expect(r.violationCounts).toEqual({});
  });

  it('a run of 65 actors (64 CPUs + 1 engine) completes', async () => {
    // Pool threads start on demand; the host's start limit grows with the actors it starts.
    const r = await runScenario('dmatest', { channels: 32, threadsPerChan: 2, iterations: 1 });
    expect(r.exitCode).toBe(0);
    expect(r.violationCounts).toEqual({});
    const threads = r.results.threads as DmatestSummary[];
    expect(threads).toHaveLength(64);
    for (const t of threads) expect(t).toMatchObject({ tests: 1, failures: 0 });
  }, 180_000);
});
