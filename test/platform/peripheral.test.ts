import { afterAll, describe, expect, it } from 'vitest';
import {
  DmasimError,
  FifoStatus,
  runScenario,
  shutdownActorPool,
  resolvePeripheral,
  startRun,
} from '../../src/index.js';
import type { FifoSlaveResult } from '../../src/clients/fifo-slave/client.js';
import { layoutPeripherals } from '../../src/platform/peripherals.js';
import { refusal } from '../support/refusal.js';

afterAll(async () => {
  await shutdownActorPool();
});

describe('a FIFO peripheral on the far side of a slave transfer', () => {
  it.each(['rx', 'tx'] as const)(
    'paces a %s transfer by its DMA requests: every byte moves, no sooner than its rate',
    async (direction) => {
      const r = await runScenario('fifo-slave', {
        mode: 'controlled',
        direction,
        bytes: 2048,
        rate: 64,
        depth: 32,
        watermark: 8,
      });

      expect(r.violations).toEqual([]);
      const t = r.results.transfer as FifoSlaveResult;
      expect(t).toMatchObject({
        completed: true,
        bytes: 2048,
        mismatches: 0,
        overruns: 0,
        underruns: 0,
      });
      // The device produces (or takes) 64 bytes per ms: 2048 bytes cannot move in < 32 ms.
      expect(t.ms).toBeGreaterThanOrEqual(2048 / 64 - 4 / 64);
      expect(r.stats.bytes).toBe(2048);
    },
  );

  it("raises its own line, handled by request_irq()'s handler in hardirq on its CPU", async () => {
    const run = startRun('fifo-slave', { mode: 'controlled', bytes: 256, events: 'all' });
    const handlers: { actor: string; context: string; irq: number }[] = [];
    run.events$.subscribe((e) => {
      if (e.kind === 'irq_handler_entry') handlers.push(e);
    });
    const r = await run.result;

    const t = r.results.transfer as FifoSlaveResult;
    expect(t.hardirq).toBe(true);
    expect(t.irqCpu).toBe(1);
    expect(t.statusSeen & FifoStatus.DONE).toBe(FifoStatus.DONE);
    // Line 0 is dma0chan0's (taken on cpu0), then dma0chan1's; the device's follows them.
    const own = handlers.filter((h) => h.irq === 2);
    expect(own.length).toBe(t.irqs);
    expect(own.every((h) => h.actor === 'cpu1' && h.context === 'hardirq')).toBe(true);
  });

  it('loses bytes it cannot keep when the DMA does not drain it in time: fifo-overrun', async () => {
    // A 4-byte FIFO filled every 4 ns of run clock: no schedule drains it in time.
    const r = await runScenario('fifo-slave', {
      mode: 'controlled',
      bytes: 1024,
      rate: 1_000_000,
      depth: 4,
      watermark: 4,
    });

    expect(r.exitCode).toBe(1);
    expect(r.violations.map((v) => v.kind)).toEqual(['fifo-overrun']);
    const t = r.results.transfer as FifoSlaveResult;
    expect(t.completed).toBe(false);
    expect(t.overruns).toBeGreaterThan(0);
    expect(t.statusSeen & FifoStatus.OVERRUN).toBe(FifoStatus.OVERRUN);
  });

  it.each([
    [{ depth: 48 }, "peripheral 'fifo0': FIFO depth 48 is not a power of two >= 4"],
    [
      { depth: 16, watermark: 32 },
      "peripheral 'fifo0': watermark 32 is outside 1..16 (the FIFO depth)",
    ],
  ])('refuses a bad FIFO geometry %j, naming the peripheral', async (bad, message) => {
    const err = await refusal(runScenario('fifo-slave', { bytes: 64, ...bad }));

    expect(err.code).toBe('DMASIM_BAD_OPTION');
    expect(err.message).toBe(message);
  });

  it.each([
    [[{ peripheral: 'nosuch' }], "unknown peripheral 'nosuch'; known peripherals: fifo, qce"],
    [
      [{ peripheral: 'fifo', irqCpu: 2 }],
      "peripheral 'fifo0': irqCpu 2 is not a CPU of this run (0..1)",
    ],
    [
      [{ peripheral: 'fifo' }, { peripheral: 'fifo', name: 'fifo0' }],
      "peripheral 'fifo0' is planned twice",
    ],
    [
      [{ peripheral: 'fifo', options: { rate: 0 } }],
      "peripheral 'fifo0': --rate: got 0, expected a number >= 0.001",
    ],
  ])('refuses the plan %j with a clear error', (uses, message) => {
    const plan = (): unknown =>
      layoutPeripherals(
        uses.map((u) => ({ ...u, peripheral: resolvePeripheral(u.peripheral) })),
        0,
        1024,
        2,
      );
    expect(plan).toThrow(new DmasimError('DMASIM_BAD_OPTION', message));
  });
});
