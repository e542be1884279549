import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DmasimError, RUN_OPTION_DEFS, getScenario, scenarioOptionDefs } from '../../src/index.js';
import {
  clinicBin,
  clinicCommandLine,
  clinicMissing,
  runClinic,
  runFlags,
} from '../../src/cli/clinic.js';
import { describeFailure } from '../../src/cli/failure.js';

const fakeClinic = fileURLToPath(new URL('../fixtures/fake-clinic.mjs', import.meta.url));

describe('clinicCommandLine', () => {
  it('runs `dmasim run <scenario> --json` under clinic, unattended, into --dest', () => {
    const inv = clinicCommandLine({
      tool: 'doctor',
      bin: '/nm/clinic/bin.js',
      dest: 'out',
      cli: '/d/cli/main.js',
      scenario: 'dmatest',
      flags: ['--seed=3', '--verify'],
      node: '/usr/bin/node',
    });

    expect(inv).toEqual({
      command: '/usr/bin/node',
      args: [
        '/nm/clinic/bin.js',
        'doctor',
        '--open=false',
        '--dest',
        'out',
        '--',
        '/usr/bin/node',
        '/d/cli/main.js',
        'run',
        'dmatest',
        '--seed=3',
        '--verify',
        '--json',
      ],
      env: { NO_INSIGHT: '1', NO_UPDATE_NOTIFIER: '1' },
    });
  });
});

describe('runFlags', () => {
  const defs = [...RUN_OPTION_DEFS, ...scenarioOptionDefs(getScenario('dmatest'))];

  it('gives raw CLI values back as --flag=value, a bare bool flag as --flag', () => {
    const flags = runFlags({ seed: '3', threadsPerChan: '2', latency: '-1', polled: '' }, defs);

    expect(flags).toEqual(['--seed=3', '--threads-per-chan=2', '--latency=-1', '--polled']);
  });

  it('refuses a key no definition has', () => {
    expect(() => runFlags({ nope: '1' }, defs)).toThrow(DmasimError);
  });
});

describe('clinicBin', () => {
  it('finds the installed clinic script', () => {
    expect(clinicBin()).toMatch(/clinic[\\/]bin\.js$/);
  });

  it('is null where clinic is not installed, and that is a usage error naming --tool', () => {
    const bare = mkdtempSync(join(tmpdir(), 'dmasim-no-clinic-'));
    try {
      expect(clinicBin(join(bare, 'x.js'))).toBeNull();
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }

    const err = clinicMissing('doctor');

    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toMatch(/^--tool doctor: clinic\.js is not installed/);
    expect(describeFailure(err, 'dmasim profile --help').code).toBe(2);
  });
});

describe('runClinic', () => {
  it('takes the run result and the report out of clinic output and passes the rest on', async () => {
    const progress: string[] = [];
    let diagnostics = '';

    const outcome = await runClinic(
      { command: process.execPath, args: [fakeClinic, '0'], env: {} },
      (line) => progress.push(line),
      (text) => (diagnostics += text),
    );

    expect(outcome).toEqual({
      code: 0,
      signal: null,
      html: '/reports/123.clinic-doctor.html',
      result: { scenario: 'dmatest', exitCode: 1, dmesg: [], violations: [], nested: { a: 1 } },
    });
    expect(progress).toEqual([
      'To generate the report press: Ctrl + C',
      'Analysing data',
      'Generated HTML file is file:///reports/123.clinic-doctor.html',
    ]);
    expect(diagnostics).toBe('process exited with exit code 1\n');
  });
});
