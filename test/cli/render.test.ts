import { describe, it, expect } from 'vitest';
import type { RunResult, RunStats } from '../../src/index.js';
import { renderCrash, renderRun } from '../../src/cli/render.js';

function result(over: Partial<RunResult> = {}): RunResult {
  return {
    scenario: 'dmatest',
    seed: 1,
    mode: 'free',
    strategy: null,
    eventHash: '0123456789abcdef',
    schedule: {
      points: 10,
      choices: 0,
      switches: 0,
      preemptions: 0,
      virtualMs: null,
      diverged: 0,
    },
    durationMs: 12,
    exitCode: 0,
    // Only the counters this test knows: the library may add more.
    stats: {
      descriptors: 2,
      bytes: 64,
      callbacks: 2,
      irqs: 2,
      events: 3,
      eventsLost: 0,
      eventsUnknown: 0,
    } as RunStats,
    violations: [],
    violationCounts: {},
    results: {
      threads: [
        { thread: 'dma0chan0-copy0', tests: 2, failures: 0, iops: '1.5', line: 'not shown' },
      ],
    },
    dmesg: ['[    0.000001] dmatest: Started 1 threads using dma0chan0'],
    actors: [],
    options: {},
    ...over,
  };
}

describe('renderRun', () => {
  it('prints the log, the counters, a table of the results and the verdict', () => {
    const text = renderRun(result(), { quiet: false });
    expect(text).toContain('[    0.000001] dmatest: Started');
    expect(text).toContain('stats: 2 descriptors, 64 bytes, 2 callbacks, 2 irqs, 3 events\n');
    const lost = { ...result().stats, eventsLost: 4, eventsUnknown: 2 };
    expect(renderRun(result({ stats: lost }), { quiet: true })).toContain(
      '3 events, 4 events lost, 2 events of unknown kinds\n',
    );
    expect(text).toContain('  thread           tests  failures  iops\n');
    expect(text).toContain('  dma0chan0-copy0      2         0   1.5\n');
    expect(text).not.toContain('not shown');
    expect(text.endsWith('violations: none\nexit 0: no violation\n')).toBe(true);
    expect(renderRun(result(), { quiet: true })).not.toContain('Started');
  });

  it('counts violations by kind, prints report blocks and caps the list', () => {
    const violations = Array.from({ length: 12 }, (_, i) => ({
      kind: i === 0 ? 'deadlock' : 'data-corruption',
      message: `finding ${i}`,
      ...(i === 0 ? { report: 'watchdog: stuck\ncpu0: idle\n' } : {}),
    }));
    // The result keeps a sample of the violations and counts them all.
    const violationCounts = { deadlock: 1, 'data-corruption': 111 };
    const text = renderRun(result({ exitCode: 1, violations, violationCounts }), { quiet: true });
    expect(text).toContain('violations: 112 (data-corruption 111, deadlock 1)\n');
    expect(text).toContain('  deadlock: finding 0\n      watchdog: stuck\n      cpu0: idle\n');
    expect(text).toContain('  ... and 102 more (--json lists 12 of them)\n');
    expect(text).not.toContain('finding 10');
    expect(text).toContain('exit 1: 112 violations');
  });
});

describe('renderCrash', () => {
  it("names the crashed actor and gives its error's message and stack", () => {
    const error = {
      actor: 'cpu1',
      name: 'TypeError',
      message: 'x is undefined',
      stack: 'TypeError: x\n    at f (a.js:1:1)',
    };
    const text = renderCrash(result({ exitCode: 3, error }));
    expect(text).toMatch(
      /^dmasim: internal error: actor cpu1 crashed: TypeError: x is undefined\n/,
    );
    expect(text).toContain('    at f (a.js:1:1)');
    expect(renderCrash(result())).toBe('');
  });
});
