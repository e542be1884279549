import { Worker } from 'node:worker_threads';
import { floorLayout } from './atomics-floor-layout.js';

/** What the floor's CPU reports. */
interface FloorResult {
  descs: number;
  seconds: number;
  mismatches: number;
}

/**
 * The floor under dmasim's 64 B path: the same protocol shape on raw Atomics with nothing
 * else. A CPU worker and an engine worker share one SharedArrayBuffer; per descriptor the
 * CPU writes 16 words into a ring under a real lock, the engine pops it under that lock,
 * copies its bytes and writes its completion under a second lock; doorbell per batch,
 * completions read back in bulk. No kernel state, points, events or callbacks.
 * @returns descriptors per second
 * @throws Error when a completion or a copied byte is wrong
 */
export async function atomicsFloor(
  ms: number,
  size = 64,
  batch = 64,
  window = 512,
): Promise<number> {
  // Power-of-two rings, and a stamp word at the start of every slot.
  if ((window & (window - 1)) !== 0 || size < 4 || size % 4 !== 0 || batch > window)
    throw new Error(`atomics floor: bad shape (size ${size}, batch ${batch}, window ${window})`);
  const layout = floorLayout(window, size);
  const buffer = new SharedArrayBuffer(layout.bytes);
  const url = (name: string): URL => new URL(`./workers/atomics-floor-${name}.js`, import.meta.url);
  const engine = new Worker(url('engine'), { workerData: { buffer, layout } });
  const cpu = new Worker(url('cpu'), { workerData: { buffer, layout, ms, batch } });
  try {
    const r = await new Promise<FloorResult>((resolve, reject) => {
      cpu.once('message', resolve);
      cpu.once('error', reject);
      engine.once('error', reject);
    });
    if (r.mismatches > 0) throw new Error(`atomics floor: ${r.mismatches} bad completions`);
    return r.descs / r.seconds;
  } finally {
    await Promise.all([cpu.terminate(), engine.terminate()]);
  }
}
