import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, runCli, type Ran } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'dmasim-campaign-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dmasim = (...args: string[]): Ran => runCli(work, args, 60_000);

const QUICK = ['config-race', '--api', 'unsafe', '--clients', '1', '--iterations', '1'];

describe('dmasim campaign', () => {
  it('--json prints the contract and exits 1 when a run failed', () => {
    const r = dmasim('campaign', ...QUICK, '--runs', '8', '--json');
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['runs', 'failures', 'byKind', 'distinct', 'firstFailure', 'runsPerSecond'])
      expect(s).toHaveProperty(key);
    expect(s.runs).toBe(8);
    const first = s.firstFailure as { seed: number; kind: string; replayFile: string };
    expect(typeof first.seed).toBe('number');
    expect(typeof first.kind).toBe('string');
    expect(first.replayFile).toMatch(/^dmasim-replays\//);
    // Off a terminal, progress is plain lines on stderr.
    expect(r.stderr).toMatch(/^campaign: 8\/8 runs/m);
  });

  it('exits 0 when no run failed', () => {
    const r = dmasim('campaign', 'config-race', '--iterations', '1', '--runs', '3', '-q');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('no run failed');
    expect(r.status).toBe(0);
  });

  it('refuses bad input with exit 2, naming what is wrong', () => {
    const cases: [string[], RegExp][] = [
      [['campaign'], /missing scenario/],
      [['campaign', 'nosuch'], /unknown scenario/],
      [['campaign', 'safe-prep-matrix'], /not the composite/],
      [['campaign', 'config-race', '--runs', '0'], /--runs/],
      [['campaign', 'config-race', '--shard', '2/1'], /--shard/],
      [['campaign', 'config-race', '--workerz', '2'], /unknown option --workerz.*--workers/],
      [['merge'], /missing campaign results/],
      [['merge', 'nosuch.json'], /nosuch.json: cannot be read/],
    ];
    for (const [args, re] of cases) {
      const r = dmasim(...args);
      expect(r.stderr).toMatch(re);
      expect(r.status).toBe(2);
    }
    writeFileSync(join(work, 'notjson.json'), '{');
    expect(dmasim('merge', 'notjson.json').stderr).toMatch(/notjson.json: not JSON/);
    writeFileSync(join(work, 'other.json'), '{"runs": 3}');
    const other = dmasim('merge', 'other.json');
    expect(other.stderr).toMatch(/other.json: not a campaign result/);
    expect(other.status).toBe(2);
  });

  it('merge of shard files prints the whole campaign', () => {
    for (const i of [1, 2]) {
      const r = dmasim('campaign', ...QUICK, '--runs', '6', '--shard', `${i}/2`, '--json', '-q');
      writeFileSync(join(work, `s${i}.json`), r.stdout);
    }
    const m = dmasim('merge', 's1.json', 's2.json', '--json');
    const whole = dmasim('campaign', ...QUICK, '--runs', '6', '--json', '-q');
    const a = JSON.parse(m.stdout) as Record<string, unknown>;
    const b = JSON.parse(whole.stdout) as Record<string, unknown>;
    for (const key of ['runs', 'passes', 'failures', 'byKind', 'distinct'])
      expect(a[key]).toEqual(b[key]);
    expect(m.status).toBe(whole.status);
  });

  it('Ctrl-C ends the campaign with its summary so far and every thread stopped', async () => {
    const child = spawn(
      process.execPath,
      [cliPath, 'campaign', ...QUICK, '--runs', '1000000', '--replay-dir', ''],
      { cwd: work },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    // A handshake: interrupt once the first progress line says runs are going.
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && /campaign: \d+\/1000000 runs/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      const deadline = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no exit after SIGINT; stderr: ${stderr}`));
      }, 25_000);
      child.on('exit', (c) => {
        clearTimeout(deadline);
        resolve(c);
      });
    });
    expect(sent).toBe(true);
    expect(stderr).toContain('interrupted');
    // The process ended by itself: no thread was left to hold it (that would be a warning).
    expect(stderr).not.toContain('did not exit');
    expect(stdout).toContain('interrupted: runs in flight were stopped');
    expect(stdout).toMatch(/runs \d+: \d+ passed, \d+ failed/);
    expect([0, 1]).toContain(code);
  });
});
