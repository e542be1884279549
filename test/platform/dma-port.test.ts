import { describe, expect, it } from 'vitest';
import { DmaPort, PORT, portWords } from '../../src/platform/dma-port.js';
import type { SchedView } from '../../src/sched/sched-view.js';

/** A port at word 16 of a small shared memory, and the actors its wakes reached. */
function port(depth: number, watermark: number, rx: boolean) {
  const words = new Int32Array(new SharedArrayBuffer(4 * (16 + portWords(depth) + 64)));
  const bytes = new Uint8Array(words.buffer);
  const woken: number[] = [];
  const view = { machine: { arena: { words } }, wake: (a: number) => woken.push(a) };
  DmaPort.format(words, 16, depth, watermark, rx);
  return { p: new DmaPort(view as unknown as SchedView, 16), words, bytes, woken };
}

const byteAt = (k: number): number => (k * 7 + 3) & 0xff;

describe('DmaPort', () => {
  it('requests DMA at the watermark of data (rx), or for all of a shorter tail', () => {
    const { p, bytes } = port(16, 8, true);
    p.pushMade(7, bytes, byteAt);

    expect([p.level(), p.dmaRequest(16), p.dmaRequest(7), p.dmaRequest(8)]).toEqual([
      7,
      false,
      true,
      false,
    ]);
    p.pushMade(1, bytes, byteAt);
    expect(p.dmaRequest(16)).toBe(true);
  });

  it('requests DMA at the watermark of room (tx)', () => {
    const { p, bytes } = port(16, 8, false);
    p.push(0, 9, bytes);

    expect([p.room(), p.dmaRequest(8)]).toEqual([7, false]);
    p.popEach(1, bytes, () => undefined);
    expect([p.room(), p.dmaRequest(8)]).toEqual([8, true]);
  });

  it('keeps the stream in order across the end of its ring', () => {
    const { p, bytes } = port(16, 4, true);
    const dst = 4 * (16 + portWords(16));
    p.pushMade(12, bytes, byteAt);
    p.pop(dst, 12, bytes);
    p.pushMade(12, bytes, byteAt);
    p.pop(dst + 12, 12, bytes);

    expect([...bytes.subarray(dst, dst + 24)]).toEqual(
      Array.from({ length: 24 }, (_, k) => byteAt(k)),
    );
    expect([p.pushed(), p.popped(), p.level()]).toEqual([24, 24, 0]);
  });

  it('wakes a waiting controller only once the request it waits for is there', () => {
    const { p, bytes, woken, words } = port(16, 8, true);
    p.setWaiter(3, true, 8);
    p.pushMade(4, bytes, byteAt);

    expect(woken).toEqual([]);
    p.pushMade(4, bytes, byteAt);
    expect(woken).toEqual([3]);
    p.clearWaiter(true);
    p.pushMade(4, bytes, byteAt);
    expect([woken, words[16 + PORT.DMA_WAITER]]).toEqual([[3], 0]);
  });
});
