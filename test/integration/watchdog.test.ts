import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import { scenario } from '../fixtures/probe-scenario.mjs';

afterAll(async () => {
  await shutdownActorPool();
});

describe('watchdog', () => {
  it('aborts a client that never finishes at the deadline and reports it', async () => {
    const t0 = performance.now();
    const r = await runScenario(scenario, { probe: 'spin-forever', channels: 1, deadline: 500 });
    expect(performance.now() - t0).toBeLessThan(500 + 2500);
    expect(r.exitCode).toBe(1);
    expect(r.violations.map((v) => v.kind)).toEqual(['deadlock']);
    expect(r.violations[0]!.report).toContain('cpu0:');
    expect(r.violations[0]!.deadlineMs).toBe(500);
  });

  it('kills a thread that no longer reaches a preemption point, and the pool still works', async () => {
    const t0 = performance.now();
    const r = await runScenario(scenario, { probe: 'busy-loop', channels: 1, deadline: 300 });
    expect(performance.now() - t0).toBeLessThan(300 + 2000 + 2500);
    expect(r.exitCode).toBe(1);
    expect(r.violations.map((v) => v.kind)).toEqual(['deadlock']);
    const next = await runScenario(scenario, { probe: 'in-order', channels: 1 });
    expect(next.exitCode).toBe(0);
  });
});
