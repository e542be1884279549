import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHOWCASE_STEPS } from '../../src/cli/showcase/steps.js';
import { cliPath, runCli, type Ran } from '../support/cli.js';

// Failing runs leave replay files in the working directory: keep them out of the project.
const work = mkdtempSync(join(tmpdir(), 'dmasim-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dmasim = (...args: string[]): Ran => runCli(work, args);

function parseOne(stdout: string): Record<string, unknown> {
  const value: unknown = JSON.parse(stdout);
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
  return value as Record<string, unknown>;
}

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run 'npm run build' first`);
});

describe('dmasim help', () => {
  it('--help exits 0 and names the commands and exit codes', () => {
    const r = dmasim('--help');
    expect(r.status).toBe(0);
    for (const word of ['list', 'run <scenario>', 'showcase', 'Exit codes']) {
      expect(r.stdout).toContain(word);
    }
    expect(r.stderr).toBe('');
  });

  it('prints the overview without a command and for `help`', () => {
    const overview = dmasim('--help').stdout;
    expect(dmasim()).toMatchObject({ status: 0, stdout: overview });
    expect(dmasim('help')).toMatchObject({ status: 0, stdout: overview });
  });

  it('run dmatest --help lists the run options and the scenario parameters', () => {
    const r = dmasim('run', 'dmatest', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /--threads-per-chan <n>\s+test threads per channel \[default: 1, 1\.\.16\]/,
    );
    expect(r.stdout).toContain('--polled[=bool]');
    expect(r.stdout).toContain('--events <lifecycle|api|all>');
    expect(r.stdout).toContain('--seed <n>');
    expect(dmasim('help', 'run', 'dmatest').stdout).toBe(r.stdout);
  });

  it("lists vdma's options under the provider's name, and takes them as flags", () => {
    const help = dmasim('run', 'dmatest', '--help').stdout;
    const section = help.slice(help.indexOf("vdma options (its controllers' provider):"));
    expect(section).toMatch(/--bandwidth <n>\s+engine copy bandwidth in MB\/s/);
    expect(section).toContain('--callback-context <softirq|hardirq>');
    expect(help.slice(0, help.indexOf('vdma options'))).not.toContain('--bandwidth');

    const r = dmasim('run', 'dmatest', '--iterations', '2', '--bandwidth', '50', '--json');
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { options: Record<string, unknown> };
    expect(result.options).toMatchObject({ bandwidth: 50, residue: 'burst' });
    expect(dmasim('run', 'dmatest', '--bandwidth', 'x').status).toBe(2);
  });

  it('lists the composites among the scenarios, marked', () => {
    expect(dmasim('--help').stdout).toMatch(/^ {2}safe-prep-matrix \(matrix\)\s+\S/m);
  });

  it('run safe-prep-matrix --help lists its own params and no run options', () => {
    const r = dmasim('run', 'safe-prep-matrix', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}--duration <n>\s+\S/m);
    expect(r.stdout).toMatch(/^ {2}--seed <n>\s+\S/m);
    expect(r.stdout).not.toContain('--ring-capacity');
    expect(r.stdout).not.toContain('--quiet');
    expect(dmasim('help', 'run', 'safe-prep-matrix').stdout).toBe(r.stdout);
  });
});

describe('dmasim list', () => {
  it('prints one line per scenario', () => {
    const r = dmasim('list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^dmatest\s+\S/m);
  });

  it('--json prints name and summary of each scenario', () => {
    const r = dmasim('list', '--json');
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; summary: string }[];
    expect(list.map((s) => s.name)).toContain('dmatest');
    for (const s of list) expect(Object.keys(s).sort()).toEqual(['name', 'summary']);
  });

  it('lists the composites after the scenarios', () => {
    const r = dmasim('list');
    expect(r.stdout).toMatch(/^safe-prep-matrix\s+\S/m);
    const names = (JSON.parse(dmasim('list', '--json').stdout) as { name: string }[]).map(
      (s) => s.name,
    );
    expect(names.indexOf('safe-prep-matrix')).toBeGreaterThan(names.indexOf('dmatest'));
  });
});

describe('dmasim output', () => {
  it.each([
    ['list', '--json'],
    ['run', 'dmatest', '--iterations', '1', '--json'],
  ])('exits 3 and says so on stderr when stdout cannot be written (%s)', (...args) => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [cliPath, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        cwd: work,
        stdio: ['ignore', full, 'pipe'],
      });
      if (r.error) throw r.error;
      expect(r.status).toBe(3);
      expect(r.stderr).toContain('dmasim: could not write the output to stdout: ENOSPC');
    } finally {
      closeSync(full);
    }
  });

  it('stays silent and keeps its exit code when the reader went away (EPIPE)', () => {
    // A pipe whose read end is closed before the CLI starts: its first write fails, always.
    const fifo = join(work, 'gone-reader');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY);
    closeSync(reader);
    try {
      const args = [
        'run',
        'dmatest',
        '--mode',
        'controlled',
        '--iterations',
        '2',
        '--corrupt',
        '1',
      ];
      const r = spawnSync(process.execPath, [cliPath, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        cwd: work,
        stdio: ['ignore', writer, 'pipe'],
      });
      if (r.error) throw r.error;
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('');
    } finally {
      closeSync(writer);
    }
  });
});

describe('dmasim usage errors exit 2', () => {
  it('names the known scenarios for an unknown one', () => {
    const r = dmasim('run', 'nosuch');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmasim: .*nosuch.*dmatest/);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--transfer-size', '16384'], '--transfer-size: got 16384'],
    [['--test-buf-size', '4096', '--alignment', '15'], '--alignment: got 15'],
  ])('refuses a dmatest that would run no test (%s)', (flags, says) => {
    const r = dmasim('run', 'dmatest', '--iterations', '1', ...flags);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`dmasim: ${says}`);
    expect(r.stdout).toBe('');
  });

  it('names the flag whose value is bad', () => {
    const r = dmasim('run', 'dmatest', '--threads-per-chan', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmasim: --threads-per-chan: got "x"/);
  });

  it('names an unknown flag', () => {
    const r = dmasim('run', 'dmatest', '--xyz', '3');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'dmasim: unknown option --xyz for scenario dmatest (see dmasim run dmatest --help)\n',
    );
  });

  it('names a flag that misses its value', () => {
    const r = dmasim('run', 'dmatest', '--seed');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmasim: --seed needs a value/);
  });

  it('names an unknown flag of a composite', () => {
    const r = dmasim('run', 'safe-prep-matrix', '--bogus', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmasim: unknown option --bogus for composite safe-prep-matrix/);
    expect(r.stdout).toBe('');
  });

  it("names a composite's param whose value is bad, and a run option it does not take", () => {
    const bad = dmasim('run', 'safe-prep-matrix', '--duration', '1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^dmasim: --duration: got "1"/);
    const runOption = dmasim('run', 'safe-prep-matrix', '--ring-capacity', '8');
    expect(runOption.status).toBe(2);
    expect(runOption.stderr).toMatch(/^dmasim: option --ring-capacity does not apply/);
  });

  it('refuses an unknown command', () => {
    const r = dmasim('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmasim: unknown command 'frobnicate'/);
  });
});

describe('dmasim run', () => {
  it('--json prints exactly one RunResult; a clean run exits 0', () => {
    const r = dmasim('run', 'dmatest', '--iterations', '5', '--json');
    expect(r.status).toBe(0);
    const result = parseOne(r.stdout);
    expect(result).toMatchObject({ scenario: 'dmatest', seed: 1, violations: [] });
    expect(typeof result.durationMs).toBe('number');
    const stats = result.stats as Record<string, unknown>;
    for (const key of ['descriptors', 'bytes', 'callbacks', 'events', 'eventsLost']) {
      expect(typeof stats[key]).toBe('number');
    }
    const threads = (result.results as { threads: { line: string }[] }).threads;
    expect(threads.length).toBeGreaterThan(0);
    for (const t of threads) expect(t.line).toMatch(/summary 5 tests, 0 failures/);
  });

  it('exits 1 with data-corruption violations when the engine corrupts', () => {
    const r = dmasim('run', 'dmatest', '--iterations', '20', '--corrupt', '0.5', '--json');
    expect(r.status).toBe(1);
    const result = parseOne(r.stdout);
    const violations = result.violations as { kind: string }[];
    expect(violations.some((v) => v.kind === 'data-corruption')).toBe(true);
    const counts = result.violationCounts as Record<string, number>;
    expect(counts['data-corruption']).toBeGreaterThanOrEqual(1);
  });

  it('prints the kernel log and a summary for humans; --quiet drops the log', () => {
    const r = dmasim('run', 'dmatest', '--iterations', '3', '--threads-per-chan=2', '--norandom');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\[\s*\d+\.\d{6}\] dmatest: .*summary 3 tests, 0 failures/m);
    expect(r.stdout).toMatch(/^threads:\n\s+thread\s+tests\s+failures/m);
    expect(r.stdout).toContain('violations: none');
    const quiet = dmasim('run', 'dmatest', '--iterations', '3', '-q');
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toMatch(/^\[/m);
    expect(quiet.stdout).toContain('exit 0: no violation');
  });

  it('exits 2 for a --trace it cannot create, 3 with a warning for one it could not write', () => {
    const race = ['run', 'config-race', '--api', 'unsafe', '--iterations', '2', '-q'];
    const missing = dmasim(...race, '--trace', join('no-such-dir', 't.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^dmasim: --trace: cannot write no-such-dir\/t\.json: /);
    if (!existsSync('/dev/full')) return;
    const full = dmasim(...race, '--events-out', '/dev/full');
    expect(full.status).toBe(3);
    expect(full.stdout).toContain('exit 1:');
    expect(full.stderr).toMatch(/^dmasim: warning: could not write \/dev\/full: /);
  });
});

describe('dmasim run <composite>', () => {
  it('safe-prep-matrix --json prints one object: 12 cells, every one as expected', () => {
    const r = dmasim('run', 'safe-prep-matrix', '--json');
    expect(r.stderr).toBe('');
    const result = parseOne(r.stdout);
    expect(result).toMatchObject({ scenario: 'safe-prep-matrix' });
    const matrix = result.matrix as Record<string, unknown>[];
    expect(matrix).toHaveLength(12);
    const variants = ['unsafe', 'mutex', 'spin_lock', 'spin_lock_bh', 'irqsave', 'provider'];
    const cells = variants.flatMap((v) => ['softirq', 'hardirq'].map((c) => `${v}/${c}`));
    expect(matrix.map((c) => `${String(c.variant)}/${String(c.callbackContext)}`).sort()).toEqual(
      cells.sort(),
    );
    for (const c of matrix) {
      expect(Array.isArray(c.found) && Array.isArray(c.expected)).toBe(true);
      expect(typeof c.ok).toBe('boolean');
    }
    // Names the cells that missed, with what they found, rather than just `false`.
    const missed = matrix.filter((c) => c.ok !== true);
    const what = (c: Record<string, unknown>): string =>
      `${String(c.variant)}/${String(c.callbackContext)} found ${JSON.stringify(c.found)}`;
    expect(missed.map(what)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(r.status).toBe(0);
  });
});

describe('the schedule contract', () => {
  const contract = ['run', 'config-race', '--api', 'unsafe', '--mode', 'controlled'];
  const pct11 = [...contract, '--strategy', 'pct', '--seed', '11', '--json'];

  it('config-race --api unsafe, controlled pct seed 11: exit 1, config-prep-mismatch, one eventHash', () => {
    const a = dmasim(...pct11);
    const b = dmasim(...pct11);
    expect(a.status).toBe(1);
    const ra = parseOne(a.stdout);
    const rb = parseOne(b.stdout);
    expect(ra.violationCounts).toHaveProperty('config-prep-mismatch');
    expect(ra).toMatchObject({ mode: 'controlled', strategy: 'pct' });
    expect(ra.eventHash).toMatch(/^[0-9a-f]{16}$/);
    expect(rb.eventHash).toBe(ra.eventHash);
    expect(ra).not.toHaveProperty('replay');
    expect(ra.replayFile).toBe('dmasim-replays/config-race-controlled-seed11.json');
  });

  it('keeps a finished run whose --replay-out cannot be written, and says why', () => {
    const r = dmasim(...pct11, '--replay-out', join(work, 'no-such-dir', 'x.json'));
    expect(r.status).toBe(1);
    const result = parseOne(r.stdout);
    expect(result.violationCounts).toHaveProperty('config-prep-mismatch');
    // Nothing is lost: the replay goes to the default path instead.
    expect(result.replayFile).toBe('dmasim-replays/config-race-controlled-seed11.json');
    expect(r.stderr).toMatch(/^dmasim: warning: could not write the replay file: .*no-such-dir/);
  });

  it('replays the file a failing run left: exit 1, the same events', () => {
    const run = parseOne(dmasim(...pct11, '--replay-out', 'pct11.json').stdout);
    expect(run.replayFile).toBe('pct11.json');
    const r = dmasim('replay', 'pct11.json', '--json');
    expect(r.status).toBe(1);
    const out = parseOne(r.stdout);
    expect(out).toMatchObject({
      reproduced: true,
      recorded: ['config-prep-mismatch', 'data-corruption'],
    });
    const result = out.result as Record<string, unknown>;
    expect(result.eventHash).toBe(run.eventHash);
    expect(result).toMatchObject({ strategy: 'replay', schedule: { diverged: 0 } });
  });

  it.each([
    ['not JSON', '{"format": 1,', /not a replay file: its JSON does not parse/],
    ['a JSON array', '[]', /not a replay file: expected a JSON object/],
    ['no format', '{}', /field 'format': expected 1/],
  ])('refuses a replay file that is %s, with exit 2', (_, text, message) => {
    writeFileSync(join(work, 'bad.json'), text);
    const r = dmasim('replay', 'bad.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^dmasim: bad\.json: /);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a missing file, a stale code hash and an unknown scenario, with exit 2', () => {
    expect(dmasim('replay', 'nope.json').stderr).toMatch(/nope\.json: cannot read the replay file/);
    dmasim(...pct11, '--replay-out', 'good.json');
    const good = JSON.parse(readFileSync(join(work, 'good.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(
      join(work, 'stale.json'),
      JSON.stringify({ ...good, codeHash: '0000000000000000' }),
    );
    const stale = dmasim('replay', 'stale.json');
    expect(stale.status).toBe(2);
    expect(stale.stderr).toMatch(/recorded by a build whose schedule code differs/);
    writeFileSync(
      join(work, 'unknown.json'),
      JSON.stringify({ ...good, scenario: { name: 'nope' } }),
    );
    const unknown = dmasim('replay', 'unknown.json');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^dmasim: unknown\.json: unknown scenario 'nope'/);
    writeFileSync(join(work, 'b64.json'), JSON.stringify({ ...good, decisions: 'not base64!' }));
    expect(dmasim('replay', 'b64.json').stderr).toMatch(/b64\.json: field 'decisions'/);
    const opts = { ...(good.options as Record<string, unknown>), clients: 'x' };
    writeFileSync(join(work, 'opts.json'), JSON.stringify({ ...good, options: opts }));
    const badOpts = dmasim('replay', 'opts.json');
    expect(badOpts.status).toBe(2);
    expect(badOpts.stderr).toMatch(/^dmasim: opts\.json: --clients: got "x"/);
    expect(dmasim('replay').status).toBe(2);
    expect(dmasim('replay', 'good.json', '--seed', '3').stderr).toMatch(
      /unknown option --seed for replay/,
    );
  });
});

describe('dmasim shrink', () => {
  const pl08x = ['run', 'pl08x-callback-under-lock', '--seed', '1', '-q'];

  it('writes the shrunk replay file next to the file, prints the sizes, exits 0', () => {
    expect(dmasim(...pl08x, '--replay-out', 'pl08x.json').status).toBe(1);
    const r = dmasim('shrink', 'pl08x.json', '--json', '--deadline', '20000');
    expect(r.status).toBe(0);
    const out = parseOne(r.stdout);
    expect(out).toMatchObject({ replayFile: 'pl08x.shrunk.json', kind: 'circular-locking' });
    const [before, after] = [out.before, out.after] as Record<string, number>[];
    expect(Object.keys(before!)).toEqual(expect.arrayContaining(['decisions', 'preemptions']));
    expect(after!.preemptions).toBeLessThanOrEqual(before!.preemptions!);
    expect(after!.decisions).toBeLessThanOrEqual(before!.decisions!);
    expect(dmasim('replay', 'pl08x.shrunk.json').status).toBe(1);
  });

  it("refuses a corrupt file, a free run's file and a run that does not fail, with exit 2", () => {
    writeFileSync(join(work, 'bad.json'), '{"format": 1,');
    expect(dmasim('shrink', 'bad.json')).toMatchObject({ status: 2, stdout: '' });
    dmasim(...pl08x, '--replay-out', 'pl.json');
    const good = JSON.parse(readFileSync(join(work, 'pl.json'), 'utf8')) as Record<string, unknown>;
    const options = good.options as Record<string, unknown>;
    writeFileSync(join(work, 'free.json'), JSON.stringify({ ...good, mode: 'free', points: [] }));
    const free = dmasim('shrink', 'free.json');
    expect(free.status).toBe(2);
    // A free run's file is replayed first; one that holds no points cannot be.
    expect(free.stderr).toMatch(/^dmasim: free\.json: the record has points of 0 actors/);
    const fixed = { ...good, options: { ...options, fixed: true } };
    writeFileSync(join(work, 'fixed.json'), JSON.stringify(fixed));
    const clean = dmasim('shrink', 'fixed.json');
    expect(clean.status).toBe(2);
    expect(clean.stderr).toMatch(/^dmasim: fixed\.json: its run does not fail when replayed/);
  });
});

describe('dmasim showcase', () => {
  it('runs its steps, explains them and exits 0', () => {
    const r = dmasim('showcase');
    // What a step found unexpected, so that a failure says which step and why.
    const surprises = r.stdout.split('\n').filter((l) => /^ {2}(unexpected:|BAD )/.test(l));
    expect(surprises).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\[1\/\d+\] /m);
    expect(r.stdout).toContain('0 violations');
    expect(r.stdout).toMatch(/[1-9]\d* data-corruption violations/);
    expect(r.stdout).toContain('exit with code 1');
    expect(r.stdout).toContain('$ dmasim run safe-prep-matrix\n');
    expect(r.stdout).toMatch(/^ {2}spin_lock\s+ok\s+deadlock \(\d+\), inconsistent-lock-state/m);
    expect(r.stdout).toMatch(/^ {2}irqsave\s+ok\s+clean\s+ok\s+clean$/m);
    expect(r.stdout).toContain('12 of 12 cells as expected');
    expect(r.stdout).toContain('KASAN: slab-use-after-free in vchan_complete');
    expect(r.stdout).toContain('release-with-transfers-in-flight: dma_release_channel(dma0chan0)');
    expect(r.stdout).toContain(`all ${SHOWCASE_STEPS.length} steps behaved as expected`);
    expect(SHOWCASE_STEPS.length).toBe(13);
  });
});
