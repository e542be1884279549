import { afterAll, describe, expect, it } from 'vitest';
import { shutdownActorPool } from '../../src/index.js';
import { scenario } from '../fixtures/report-scenario.mjs';
import { runProbe } from '../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

const probe = (name: string, options: Record<string, unknown> = {}) =>
  runProbe(scenario, name, options);

const SITE = /^test\/fixtures\/report-scenario\.mjs:\d+$/;

describe('WARN_ON, WARN_ON_ONCE, WARN, WARN_ONCE', () => {
  it('return the condition, print the WARNING block and are `warning` violations, the _ONCE ones once per run', async () => {
    const r = await probe('warn', { cpus: 2 });
    const each = { quiet: false, on: true, once: true, warn: true };
    expect(r.results.probes).toEqual([each, each]);
    // Per CPU: WARN_ON and WARN; once in the run: WARN_ON_ONCE and WARN_ONCE.
    expect(r.violationCounts).toEqual({ warning: 6 });
    // Which CPU fires an _ONCE site first is the schedule's choice; the other never does.
    const said = r.violations.map((v) => v.message.split(': ').slice(2).join(': '));
    expect(said.sort()).toEqual(
      ['', '', 'depth 5 > 4 (0xff)', 'depth 5 > 4 (0xff)', 'pass 0', 'warned once'].sort(),
    );
    for (const v of r.violations) expect(v.where).toMatch(SITE);
    const warnings = r.dmesg.filter((l) =>
      / WARNING: CPU: [01] PID: 0 at test\/fixtures\//.test(l),
    );
    expect(warnings).toHaveLength(6);
    expect(r.exitCode).toBe(1);
  });
});

describe('BUG_ON', () => {
  it('is a `bug` violation that ends the CPU program, and the CPU still serves interrupts', async () => {
    const r = await probe('bug', { cpus: 2 });
    expect(r.results.probes).toEqual([null, { completed: true }]);
    expect(r.violations.map((v) => v.kind)).toEqual(['bug']);
    expect(r.violations[0]!.where).toMatch(SITE);
    expect(r.dmesg.some((l) => l.includes('note: cpu0[0] exited with irqs disabled'))).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(1);
  });

  it('in a completion callback ends the interrupted program without hanging the run', async () => {
    const r = await probe('bug-in-callback');
    expect(r.results.probes).toEqual([null]);
    expect(r.violations.map((v) => [v.kind, v.actor])).toEqual([['bug', 'cpu0']]);
    expect(r.exitCode).toBe(1);
  });
});

describe('lockdep_assert_held', () => {
  it('is a `lockdep-assert` violation when the lock is not on the CPU held-lock stack', async () => {
    const r = await probe('assert-held');
    expect(r.violations.map((v) => [v.kind, v.lock])).toEqual([
      ['lockdep-assert', 'report_lock_B'],
      ['lockdep-assert', 'report_lock_A'],
      ['lockdep-assert', 'report_mutex'],
    ]);
    expect(r.exitCode).toBe(1);
  });
});

describe('reportViolation', () => {
  it("is a violation of the caller's kind with its fields, in a scenario whose checkers are none", async () => {
    const r = await probe('user-violation');
    expect(r.violations).toEqual([
      expect.objectContaining({
        kind: 'queue-overflow',
        message: 'queue depth 5 > 4',
        depth: 5,
        queue: 'tx',
        actor: 'cpu0',
      }),
    ]);
    expect(r.exitCode).toBe(1);
  });
});
