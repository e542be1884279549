import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, runCli, type Ran } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'dmasim-profile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run 'npm run build' first`);
});

const dmasim = (...args: string[]): Ran => runCli(work, args);

const ACTORS = ['cpu0', 'cpu1', 'dma0'];

describe('dmasim profile --tool cpu', () => {
  it('writes one valid .cpuprofile per actor thread, named after it, and prints the paths', () => {
    const r = dmasim('profile', 'dmatest', '--iterations', '5', '--dest', 'cpu-out');

    expect(r.status).toBe(0);
    const dir = join('cpu-out', 'dmatest-free-seed1');
    expect(readdirSync(join(work, dir)).sort()).toEqual(ACTORS.map((a) => `${a}.cpuprofile`));
    for (const a of ACTORS) {
      const file = join(dir, `${a}.cpuprofile`);
      expect(r.stdout).toContain(file);
      const p = JSON.parse(readFileSync(join(work, file), 'utf8')) as Record<string, unknown[]>;
      expect(p.nodes!.length).toBeGreaterThan(0);
      expect(p.timeDeltas!.length).toBe(p.samples!.length);
    }
    expect(r.stdout).toContain('exit 0: no violation');
    // Every thread stopped: the process ended on its own, without the forced exit.
    expect(r.stderr).toBe('');
  });

  it('--json prints the tool, the profiles and the run summary, and exits with the run', () => {
    const r = dmasim(
      'profile',
      'dmatest',
      '--iterations',
      '5',
      '--corrupt',
      '1',
      '--dest',
      'json-out',
      '--json',
    );

    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as {
      tool: string;
      profiles: { actor: string; file: string }[];
      result: { exitCode: number; actors: { name: string; cpuMs: number | null }[] };
    };
    expect(out.tool).toBe('cpu');
    expect(out.profiles).toEqual(
      ACTORS.map((a) => ({
        actor: a,
        file: join('json-out', 'dmatest-free-seed1', `${a}.cpuprofile`),
      })),
    );
    expect(out.result).toMatchObject({ scenario: 'dmatest', seed: 1, exitCode: 1 });
    expect(out.result.actors.map((a) => a.name)).toEqual(ACTORS);
    expect(out.result.actors[0]!.cpuMs).toBeGreaterThan(0);
  });
});

describe('dmasim profile: bad input', () => {
  it('refuses an unknown --tool with exit 2, naming the flag', () => {
    const r = dmasim('profile', 'dmatest', '--tool', 'perf');

    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^dmasim: --tool: got "perf", expected one of doctor, flame, bubbleprof, cpu/,
    );
  });

  it.each([
    ['a path through a file', 'a-file/profiles'],
    ['a file', 'a-file'],
    ['an empty path', ''],
  ])('refuses a --dest that is %s with exit 2, before any run', (_, dest) => {
    writeFileSync(join(work, 'a-file'), 'not a directory');

    for (const tool of ['cpu', 'doctor']) {
      const r = dmasim('profile', 'dmatest', '--tool', tool, '--dest', dest);

      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^dmasim: --dest: /);
      expect(r.stdout).toBe('');
    }
  });
});
