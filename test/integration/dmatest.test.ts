import { afterAll, describe, expect, it } from 'vitest';
import { DmasimError, runScenario, shutdownActorPool, startRun } from '../../src/index.js';
import type { DmaEvent, DmaEventOf, RunResult } from '../../src/index.js';
import type { DmatestSummary } from '../../src/clients/dmatest/thread.js';
import { thrown } from '../support/thrown.js';

afterAll(async () => {
  await shutdownActorPool();
});

const SUMMARY =
  /^(dma\dchan\d-copy\d): summary (\d+) tests, (\d+) failures (\d+)\.(\d\d) iops (\d+) KB\/s \((-?\d+)\)$/;

describe('dmatest', () => {
  it('passes over 2 channels x 2 threads with verify and prints parsable summaries', async () => {
    const r = await runScenario('dmatest', { threadsPerChan: 2, iterations: 40 });
    // The violations first: a failure then says what the run found, not only its exit code.
    expect(r.violations).toEqual([]);
    expect(r.error ?? null).toBeNull();
    expect(r.exitCode).toBe(0);
    const threads = r.results.threads as DmatestSummary[];
    expect(threads.map((t) => t.thread).sort()).toEqual([
      'dma0chan0-copy0',
      'dma0chan0-copy1',
      'dma0chan1-copy0',
      'dma0chan1-copy1',
    ]);
    for (const t of threads) {
      const m = SUMMARY.exec(t.line);
      expect(m, t.line).not.toBeNull();
      expect([m![2], m![3], m![7]]).toEqual(['40', '0', '0']);
      expect(r.dmesg.some((l) => l.endsWith(`dmatest: ${t.line}`))).toBe(true);
    }
    expect(r.stats).toMatchObject({ descriptors: 160, callbacks: 160, eventsLost: 0 });
  });

  it('catches a corrupting engine as data errors and a data-corruption violation', async () => {
    const r = await runScenario('dmatest', { iterations: 30, corrupt: 0.5, seed: 7 });
    expect(r.exitCode).toBe(1);
    const kinds = new Set(r.violations.map((v) => v.kind));
    expect([...kinds]).toEqual(['data-corruption']);
    const failures = (r.results.threads as DmatestSummary[]).reduce((n, t) => n + t.failures, 0);
    expect(failures).toBe(r.violations.length);
    expect(
      r.dmesg.some((l) =>
        /result #\d+: 'data error' with src_off=0x[0-9a-f]+ dst_off=0x[0-9a-f]+ len=0x[0-9a-f]+ \(\d+\)$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(
      r.dmesg.some((l) =>
        /dstbuf\[0x[0-9a-f]+\] (not copied|mismatch|was copied)! Expected [0-9a-f]{2}, got [0-9a-f]{2}$/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it.each([
    [{ timeout: 0 }, ['test timed out', 'completion busy status']],
    [{ descriptors: 1 }, ['prep error']],
  ])(
    'turns every failure it counts into a dmatest-failure and exits 1 (%o)',
    async (opts, results) => {
      // Controlled: the same failures on any machine under any load.
      const r = await runScenario('dmatest', { mode: 'controlled', iterations: 4, ...opts });
      const failures = (r.results.threads as DmatestSummary[]).reduce((n, t) => n + t.failures, 0);
      expect(failures).toBeGreaterThan(0);
      expect(r.exitCode).toBe(1);
      expect(r.violationCounts).toEqual({ 'dmatest-failure': failures });
      for (const v of r.violations) expect(results).toContain(v.result);
    },
  );

  it('corrupts the same tests of the same threads for a seed, free or controlled', async () => {
    // One thread per channel and no timeout: test #n of a thread is the n-th transfer of
    // its channel, whichever order the engine served the two channels in.
    const opts = { iterations: 30, corrupt: 0.3, timeout: -1, seed: 5 };
    const corrupted = (r: RunResult): string[] =>
      r.violations.map((v) => `${String(v.thread)}#${String(v.test)}`).sort();
    const free = await runScenario('dmatest', { ...opts, mode: 'free' });
    const controlled = await runScenario('dmatest', { ...opts, mode: 'controlled' });
    expect(corrupted(free).length).toBeGreaterThan(0);
    expect(free.violationCounts).toEqual({ 'data-corruption': corrupted(free).length });
    expect(corrupted(free)).toEqual(corrupted(controlled));
  });

  it('completes in polled mode without callbacks', async () => {
    const r = await runScenario('dmatest', { iterations: 20, polled: true });
    expect(r.exitCode).toBe(0);
    expect(r.stats).toMatchObject({ descriptors: 40, callbacks: 0 });
    expect((r.results.threads as DmatestSummary[]).map((t) => [t.tests, t.failures])).toEqual([
      [20, 0],
      [20, 0],
    ]);
  });

  it('delivers every event produced, in sequence order, at the all level', async () => {
    const run = startRun('dmatest', { iterations: 25, events: 'all', ringCapacity: 64 });
    const seen: DmaEvent[] = [];
    run.events$.subscribe((e) => seen.push(e));
    const r = await run.result;
    expect(r.stats.eventsLost).toBe(0);
    expect(seen.length).toBe(r.stats.events);
    expect(seen.every((e, i) => e.seq === i)).toBe(true);
    // Causal order across actors: on each channel, the n-th callback is for the n-th
    // submitted descriptor and comes after that submit (one thread per channel waits
    // for each callback before it submits again).
    const submits = seen.filter((e): e is DmaEventOf<'submit'> => e.kind === 'submit');
    const callbacks = seen.filter(
      (e): e is DmaEventOf<'callback.begin'> => e.kind === 'callback.begin',
    );
    for (const chan of new Set(submits.map((e) => e.chan))) {
      const s = submits.filter((e) => e.chan === chan);
      const c = callbacks.filter((e) => e.chan === chan);
      expect(c.map((e) => e.desc)).toEqual(s.map((e) => e.desc));
      expect(c.every((e, n) => e.seq > s[n]!.seq)).toBe(true);
    }
    const kinds = new Set(seen.map((e) => e.kind));
    for (const k of [
      'chan.request',
      'prep',
      'submit',
      'issue',
      'engine.start',
      'engine.done',
      'irq',
      'tasklet',
      'callback.begin',
      'callback.end',
      'chan.release',
    ]) {
      expect(kinds, k).toContain(k);
    }
    expect(seen.filter((e) => e.kind === 'engine.done').every((e) => e.context === 'hw')).toBe(
      true,
    );
    expect(seen.filter((e) => e.kind === 'irq').every((e) => e.context === 'hardirq')).toBe(true);
    expect(
      seen.filter((e) => e.kind === 'callback.begin').every((e) => e.context === 'softirq'),
    ).toBe(true);
  });

  it.each([
    [
      { transferSize: 16384 },
      '--transfer-size: got 16384, expected less than --test-buf-size (16384)',
    ],
    [{ testBufSize: 4096, alignment: 13 }, '--alignment: got 13 (8192-byte alignment)'],
    [{ channel: 'dma0chan7' }, "--channel dma0chan7 matches none of this run's channels"],
  ])('refuses a plan on which dmatest would run no test (%o)', (opts, says) => {
    const err = thrown(() => startRun('dmatest', { iterations: 1, ...opts }));
    expect(err).toBeInstanceOf(DmasimError);
    expect(err).toMatchObject({ code: 'DMASIM_BAD_OPTION' });
    expect((err as DmasimError).message).toContain(says);
  });

  it('rejects a bad option before any thread starts', () => {
    expect(() => startRun('dmatest', { threadsPerChan: 'x' })).toThrow(
      expect.objectContaining({ code: 'DMASIM_BAD_OPTION' }),
    );
    expect(() => startRun('nosuch')).toThrow(
      expect.objectContaining({ code: 'DMASIM_UNKNOWN_SCENARIO' }),
    );
  });
});
