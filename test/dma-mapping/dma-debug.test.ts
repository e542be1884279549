import { afterAll, describe, expect, it } from 'vitest';
import { shutdownActorPool, type RunResult } from '../../src/index.js';
import { scenario } from '../fixtures/rest-probe.mjs';
import { probeResult } from '../support/probe.js';

afterAll(async () => {
  await shutdownActorPool();
});

/** Probe `name` of the fixture, controlled, seed 1 (see runProbe()). */
const probe = (name: string, options: Record<string, unknown> = {}) =>
  probeResult(scenario, name, options);

/** The dma-debug checks a run found, in order. */
function checks(r: RunResult): unknown[] {
  return r.violations.filter((v) => v.kind === 'dma-api-misuse').map((v) => v.check);
}

describe('DMA mapping API with dma-debug', () => {
  it('maps identically, and a correct map/sync/unmap client is clean', async () => {
    const { r, p } = await probe('map-clean');
    expect(p).toEqual({
      identity: true,
      mapErr: 0,
      completed: true,
      copied: true,
      cpuOk: true,
      mapped: 2,
      badIsError: true,
      live: 0,
    });
    // Mapping the NULL page is refused and reported as dma-debug's invalid area.
    expect(checks(r)).toEqual(['map-invalid']);
  });

  it('reports unmapping or syncing for the CPU a buffer a queued descriptor still uses', async () => {
    const { r, p } = await probe('unmap-in-use');
    expect(p).toEqual({ completed: true });
    expect(checks(r)).toEqual(['sync-in-use', 'unmap-in-use']);
    const v = r.violations.find((x) => x.check === 'unmap-in-use')!;
    expect(v.message).toMatch(
      /DMA-API: vdma dma0: device driver frees DMA memory still in use by the device \[device address=0x[0-9a-f]{16}\] \[size=128 bytes\] \[mapped with DMA_FROM_DEVICE\] \[in use by dma0chan0 descriptor \d+ cookie 2 \(submitted\)\]/,
    );
    expect(v.report).toMatch(
      /cut here[\s\S]*WARNING: CPU: 0 PID: 0 at kernel\/dma\/debug.c check_unmap/,
    );
  });

  it('reports direction, size, function mismatches and unmapping what was never mapped', async () => {
    const { r, p } = await probe('unmap-mismatch');
    expect(p).toEqual({ live: 0 });
    expect(checks(r)).toEqual([
      'unmap-direction',
      'unmap-size',
      'unmap-not-mapped',
      'unmap-function',
    ]);
    const messages = r.violations.map((v) => v.message);
    expect(messages[0]).toMatch(
      /DMA-API: vdma dma0: device driver frees DMA memory with different direction \[device address=0x[0-9a-f]{16}\] \[size=64 bytes\] \[mapped with DMA_TO_DEVICE\] \[unmapped with DMA_FROM_DEVICE\]$/,
    );
    expect(messages[1]).toMatch(/different size .*\[map size=64 bytes\] \[unmap size=32 bytes\]/);
    expect(messages[2]).toMatch(
      /tries to free DMA memory it has not allocated .*\[size=64 bytes\]/,
    );
    expect(messages[3]).toMatch(
      /wrong function .*\[mapped as scatter-gather\] \[unmapped as single\]/,
    );
    expect(r.exitCode).toBe(1);
  });

  it("reports check_sync()'s findings", async () => {
    const { r } = await probe('sync-mismatch');
    expect(checks(r)).toEqual([
      'sync-direction',
      'sync-read-only',
      'sync-range',
      'sync-not-mapped',
    ]);
    expect(r.violations[1]!.message).toMatch(
      /syncs device read-only DMA memory for cpu .*\[mapped with DMA_TO_DEVICE\] \[synced with DMA_FROM_DEVICE\]/,
    );
  });

  it('reports CPU access to bytes the device owns, until they are synced for the CPU', async () => {
    const { r, p } = await probe('cpu-access');
    expect(p).toEqual({
      readFromDevice: false,
      readToDevice: true,
      writeToDevice: false,
      afterSync: true,
      afterGiveBack: false,
      afterUnmap: true,
    });
    expect(checks(r)).toEqual(['cpu-access', 'cpu-access', 'cpu-access']);
    expect(r.violations[1]!.message).toMatch(/cpu writes DMA memory the device owns/);
  });

  it('reports mappings left when the controller loses its last client, once', async () => {
    const { r } = await probe('leak');
    expect(checks(r)).toEqual(['leak']);
    expect(r.violations[0]!.message).toMatch(
      /DMA-API: vdma dma0: device driver has pending DMA allocations while released from device \[count=2\]\nOne of leaked entries details: .*\[mapped with DMA_FROM_DEVICE\] \[mapped as single\]/,
    );
  });

  it.each([1, 2, 3])('shares one table between CPUs (seed %i)', async (seed) => {
    const { r, p } = await probe('cross-cpu', { cpus: 2, seed });
    const probes = r.results.probes as Record<string, unknown>[];
    expect(p).toBeDefined();
    expect(probes[0]).toEqual({ live: 0 });
    expect(checks(r)).toEqual(['unmap-direction']);
    expect(r.violations[0]!.actor).toBe('cpu1');
  });
});
