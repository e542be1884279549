import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, runCli, type Ran } from '../support/cli.js';

// Failing runs leave replay files in the working directory: keep them out of the project.
const work = mkdtempSync(join(tmpdir(), 'dmasim-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dmasim = (...args: string[]): Ran => runCli(work, args);

beforeAll(() => {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run 'npm run build' first`);
});

function kinds(r: Ran): Record<string, number> {
  return (JSON.parse(r.stdout) as { violationCounts: Record<string, number> }).violationCounts;
}

describe('dmasim run terminate-race', () => {
  it('--variant no-sync exits 1 with use-after-free', () => {
    const r = dmasim('run', 'terminate-race', '--variant', 'no-sync', '--json');
    expect(r.status).toBe(1);
    expect(kinds(r)).toEqual({ 'use-after-free': 1 });
  });

  it('--variant sync exits 0', () => {
    const r = dmasim('run', 'terminate-race', '--variant', 'sync');
    expect(r.status).toBe(0);
  });

  it('--variant terminate-sync-in-callback exits 1 with sleep-in-atomic', () => {
    const r = dmasim('run', 'terminate-race', '--variant', 'terminate-sync-in-callback', '--json');
    expect(r.status).toBe(1);
    expect(kinds(r)['sleep-in-atomic']).toBeGreaterThan(0);
  });

  it('refuses an unknown variant with exit 2', () => {
    const r = dmasim('run', 'terminate-race', '--variant', 'maybe');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--variant');
  });
});

describe('dmasim run client-association', () => {
  it('--variant release-in-flight exits 1 with release-with-transfers-in-flight', () => {
    const r = dmasim('run', 'client-association', '--variant', 'release-in-flight', '--json');
    expect(r.status).toBe(1);
    expect(kinds(r)).toEqual({ 'release-with-transfers-in-flight': 1 });
  });

  it('--variant clean exits 0', () => {
    const r = dmasim('run', 'client-association', '--variant', 'clean');
    expect(r.status).toBe(0);
  });
});
