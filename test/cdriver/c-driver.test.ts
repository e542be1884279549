import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, shutdownActorPool } from '../../src/index.js';
import type { RunResult } from '../../src/index.js';
import { compileDriver } from '../../src/cdriver/compile.js';
import { cachePath } from '../../src/cdriver/cache.js';

// Every build of this file goes to a cache of its own (the host's: threads get the build
// through the run's arena).
const cache = mkdtempSync(join(tmpdir(), 'dmasim-cc-'));
process.env.DMASIM_CACHE_DIR = cache;
const dir = mkdtempSync(join(tmpdir(), 'dmasim-c-'));
const COUNTER = join(import.meta.dirname, '../fixtures/c/counter.c');

afterAll(async () => {
  await shutdownActorPool();
  rmSync(cache, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

function run(define: string, extra: Record<string, unknown> = {}): Promise<RunResult> {
  return runScenario(COUNTER, {
    mode: 'controlled',
    seed: 1,
    deadline: 20_000,
    iterations: 4,
    ...(define ? { define } : {}),
    ...extra,
  });
}

const kinds = (r: RunResult): string[] => [...new Set(r.violations.map((v) => v.kind))].sort();

describe('a C driver', () => {
  let clean: RunResult;
  beforeAll(async () => {
    clean = await run('COUNT_LOCKED', { kcsan: true, lockdep: true });
  });

  it('runs its probe, each CPU its DMASIM_CPU, and remove: bytes really copied', () => {
    expect(clean.exitCode).toBe(0);
    expect(clean.results).toEqual({ cpus: [{ ret: 0 }, { ret: 0 }] });
    // 2 CPUs x 4 copies, each callback run in the channel's tasklet.
    expect(clean.stats.descriptors).toBe(8);
    expect(clean.stats.callbacks).toBe(8);
    expect(clean.dmesg.some((l) => l.includes('counter: 8 transfers, 8 callbacks'))).toBe(true);
  });

  it("--kcsan finds an unlocked shared counter, in KCSAN's report format", async () => {
    const r = await run('', { kcsan: true });
    expect(kinds(r)).toEqual(['data-race']);
    const v = r.violations[0]!;
    expect(v.message).toContain('data-race in count_transfer / count_transfer');
    expect(v.report).toMatch(/BUG: KCSAN: data-race in count_transfer \/ count_transfer/);
    expect(v.report).toMatch(/write to 0x[0-9a-f]{8} of 4 bytes by task 0 on cpu \d:/);
    expect(v.report).toMatch(
      /previous (read|write) to 0x[0-9a-f]{8} of 4 bytes by task 0 on cpu \d:/,
    );
    expect(r.replayFile ?? r.replay).toBeTruthy();
  });

  it('--kcsan is quiet when the counter is locked or marked (READ_ONCE/WRITE_ONCE)', async () => {
    expect(kinds(clean)).toEqual([]);
    const once = await run('COUNT_ONCE', { kcsan: true });
    expect(kinds(once)).toEqual([]);
  });

  it('without --kcsan the same race is not reported', async () => {
    expect(kinds(await run(''))).toEqual([]);
  });

  it("lockdep sees the driver's locks: a spinlock taken in softirq and with softirqs on", async () => {
    const r = await run('LOCK_IN_CALLBACK', { lockdep: true });
    expect(kinds(r)).toEqual(['inconsistent-lock-state']);
    expect(r.violations[0]!.message).toContain('usage of stats_lock');
  });

  it('lockdep_assert_held() and BUG_ON() report with the C file and line', async () => {
    const held = await run('ASSERT_HELD,COUNT_LOCKED');
    expect(kinds(held)).toEqual(['lockdep-assert']);
    expect(held.violations[0]!.message).toMatch(
      /lockdep_assert_held\(stats_lock\) at counter\.c:\d+ count_transfer/,
    );
    const bug = await run('BUG_AT_END,COUNT_LOCKED');
    expect(kinds(bug)).toEqual(['bug']);
    expect(bug.violations[0]!.message).toMatch(/kernel BUG at counter\.c:\d+ counter_cpu/);
  });
});

describe('compiling a C driver', () => {
  const input = (file: string, defines: string[] = []) => ({
    sources: [{ shown: 'drv.c', path: file }],
    defines,
    kcsan: false,
  });

  it('caches a build by its content hash', async () => {
    const file = join(dir, 'ok.c');
    writeFileSync(
      file,
      '#include <dmasim.h>\nstatic int go(int cpu) { return cpu; }\nDMASIM_CPU(go);\n',
    );
    const first = await compileDriver(input(file));
    expect(first.cached).toBe(false);
    expect(existsSync(cachePath(first.key))).toBe(true);
    const again = await compileDriver(input(file));
    expect(again).toMatchObject({ key: first.key, cached: true });
    const other = await compileDriver(input(file, ['X=1']));
    expect(other.key).not.toBe(first.key);
  });

  it('a compile error names the file and shows clang', async () => {
    const file = join(dir, 'bad.c');
    writeFileSync(file, 'int x = ;\n');
    const built = compileDriver(input(file));
    await expect(built).rejects.toMatchObject({ code: 'DMASIM_BAD_OPTION' });
    await expect(built).rejects.toThrow(
      /^drv\.c: does not compile:\ndrv\.c:1:9: error: expected expression/,
    );
  });

  it("a call to a function dmasim's kernel does not have is refused", async () => {
    const file = join(dir, 'strcpy.c');
    writeFileSync(
      file,
      'char *strcpy(char *, const char *);\nchar b[4];\n__attribute__((export_name("f"))) void f(void) { strcpy(b, "x"); }\n',
    );
    const built = compileDriver(input(file));
    await expect(built).rejects.toMatchObject({ code: 'DMASIM_BAD_OPTION' });
    await expect(built).rejects.toThrow("undefined reference to 'strcpy'");
  });

  it('a driver with more static data than its image holds is refused', async () => {
    for (const [name, bytes, says] of [
      ['mid.c', 80_000, 'static data takes'],
      ['big.c', 200_000, 'does not link as a driver'],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(
        file,
        `char big[${bytes}] = {1};\n__attribute__((export_name("f"))) int f(int i) { return big[i]; }\n`,
      );
      const built = compileDriver(input(file));
      await expect(built).rejects.toMatchObject({ code: 'DMASIM_BAD_OPTION' });
      await expect(built).rejects.toThrow(says);
    }
  });

  it('a run of a C file without DMASIM_CPU is refused', async () => {
    const file = join(dir, 'nocpu.c');
    writeFileSync(file, 'int x;\n');
    const run = runScenario(file, { mode: 'controlled', deadline: 10_000 });
    await expect(run).rejects.toMatchObject({ code: 'DMASIM_BAD_OPTION' });
    await expect(run).rejects.toThrow('has no DMASIM_CPU(fn)');
  });
});
