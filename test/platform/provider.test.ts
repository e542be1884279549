import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  getScenario,
  runScenario,
  declareState,
  defineStruct,
  shutdownActorPool,
  startRun,
  type ProviderModule,
} from '../../src/index.js';
import { provider as minidma, scenario as dmatestMini } from '../fixtures/mini-provider.mjs';
import { refusal } from '../support/refusal.js';
import { prepare } from '../../src/host/prepare.js';

afterAll(async () => {
  await shutdownActorPool();
});

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

interface DmatestThread {
  thread: string;
  line: string;
}

describe('a provider written only against the platform', () => {
  it('is named by no file of the library', () => {
    const src = join(import.meta.dirname, '../../src');
    const naming = files(src).filter((f) => readFileSync(f, 'utf8').includes('minidma'));

    expect(naming).toEqual([]);
  });

  it.each(['free', 'controlled'] as const)(
    'registers and passes dmatest memcpy on its controllers (%s)',
    async (mode) => {
      const r = await runScenario(dmatestMini, {
        mode,
        iterations: 12,
        controllers: 2,
        channels: 2,
      });

      expect(r.violations).toEqual([]);
      expect(r.exitCode).toBe(0);
      const threads = r.results.threads as DmatestThread[];
      expect(threads.map((t) => t.thread).sort()).toEqual([
        'dma0chan0-copy0',
        'dma0chan1-copy0',
        'dma1chan0-copy0',
        'dma1chan1-copy0',
      ]);
      // "12 tests, 0 failures" on every thread: the bytes were really copied and verified.
      for (const t of threads) expect(t.line).toMatch(/: summary 12 tests, 0 failures /);
      expect(r.stats.callbacks).toBe(48);
    },
  );

  it("takes its own options as flags: a driver that forgets vc.lock trips vchan_issue_pending()'s assert", async () => {
    const r = await runScenario(dmatestMini, {
      mode: 'controlled',
      iterations: 2,
      unlockedIssue: true,
    });

    expect(r.options.unlockedIssue).toBe(true);
    expect(new Set(r.violations.map((v) => [v.kind, v.lock].join(' ')))).toEqual(
      new Set(['lockdep-assert &vc->lock']),
    );
    expect(r.exitCode).toBe(1);
  });

  it('shares one interrupt line between the channels of a controller', async () => {
    const run = startRun(dmatestMini, {
      mode: 'controlled',
      iterations: 4,
      channels: 3,
      events: 'all',
    });
    const lines = new Set<number>();
    run.events$.subscribe((e) => {
      if (e.kind === 'irq_handler_entry') lines.add(e.irq);
    });
    const r = await run.result;

    expect(r.exitCode).toBe(0);
    expect(r.stats.callbacks).toBe(12);
    expect([...lines]).toEqual([0]);
  });

  it('is refused by name when no registry knows it', async () => {
    const err = await refusal(
      runScenario({ ...dmatestMini, providers: ['nosuchdma'] }, { iterations: 1 }),
    );

    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toContain("unknown provider 'nosuchdma'; known providers: vdma");
  });

  it('is refused without a module when it is not built in', async () => {
    const inline: ProviderModule = { ...minidma };
    delete inline.module;
    const err = await refusal(
      runScenario({ ...dmatestMini, providers: [inline] }, { iterations: 1 }),
    );

    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toContain("provider 'minidma' is not built in: set its 'module'");
  });

  it('is refused when its shape is wrong, naming the member', async () => {
    const broken = { ...minidma, probe: 'not a function' } as unknown as ProviderModule;
    const err = await refusal(
      runScenario({ ...dmatestMini, providers: [broken] }, { iterations: 1 }),
    );

    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toBe("provider 'minidma''s 'probe' must be a function (got string)");
  });

  it("counts per-channel declared state on the plan's own controllers", () => {
    const perChan = declareState(
      'test.per-chan',
      defineStruct('test_per_chan', { n: 'i32' }),
      'channel',
    );
    const dmatest = getScenario('dmatest');
    const { machine } = prepare(
      {
        ...dmatestMini,
        plan: (o, p, c) => {
          const base = dmatest.plan(o, p, c);
          return {
            ...base,
            state: [...(base.state ?? []), perChan],
            controllers: [{ channels: 3 }, { channels: 1 }],
          };
        },
      },
      { channels: 2 },
    );

    expect(machine.spec.channels).toBe(4);
    expect(machine.spec.state.find((e) => e.name === 'test.per-chan')?.count).toBe(4);
  });

  it('refuses a plan whose controller is a provider the scenario does not list', async () => {
    const dmatest = getScenario('dmatest');
    const err = await refusal(
      runScenario(
        {
          ...dmatestMini,
          plan: (o, p, c) => ({ ...dmatest.plan(o, p, c), controllers: [{ provider: 'vdma' }] }),
        },
        { iterations: 1 },
      ),
    );

    expect(err.message).toContain(
      "controller 0 is a 'vdma', which the scenario does not list in its 'providers' (minidma)",
    );
  });
});
