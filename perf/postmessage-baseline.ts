import { Worker } from 'node:worker_threads';

/**
 * The baseline: the same 64 B memcpy pipeline with one postMessage per descriptor and one
 * per completion, pipelined with `window` descriptors in flight.
 * @returns descriptors per second
 */
export async function postMessageBaseline(ms: number, size = 64, window = 512): Promise<number> {
  const worker = new Worker(new URL('./workers/postmessage-engine.js', import.meta.url));
  try {
    const arena = new SharedArrayBuffer(window * size * 2 + 64);
    worker.postMessage({ arena, src: 0, dst: 0, len: 0, id: -1 });
    let sent = 0;
    let done = 0;
    let stop = false;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      const send = (): void => {
        while (!stop && sent - done < window) {
          const slot = sent % window;
          worker.postMessage({
            src: slot * size,
            dst: (window + slot) * size,
            len: size,
            id: sent++,
          });
        }
      };
      worker.on('message', () => {
        done++;
        if (performance.now() - t0 >= ms) stop = true;
        if (stop && done === sent) resolve();
        else send();
      });
      send();
    });
    return done / ((performance.now() - t0) / 1000);
  } finally {
    await worker.terminate();
  }
}
