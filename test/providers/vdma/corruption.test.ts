import { describe, expect, it } from 'vitest';
import { Corruption } from '../../../src/providers/vdma/corruption.js';

const LEN = 64;

/**
 * Serves transfers of the engine's channels in `order` (one entry per transfer, naming its
 * channel) and returns, per channel, what each of its transfers came out as: -1 clean, else
 * the offset of the flipped byte.
 */
function serve(c: Corruption, order: readonly number[], channels: number): number[][] {
  const bytes = new Uint8Array(LEN);
  const seen: number[][] = Array.from({ length: channels }, () => []);
  for (const k of order) {
    bytes.fill(0);
    const hit = c.inject(k, bytes, 0, LEN);
    seen[k]!.push(hit ? bytes.findIndex((b) => b !== 0) : -1);
  }
  return seen;
}

describe('Corruption', () => {
  it("draws each channel's transfers from its own stream, whatever order they are served in", () => {
    const inTurn = serve(new Corruption(7, 0, 2, 0.5), [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2);
    const inBursts = serve(new Corruption(7, 0, 2, 0.5), [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], 2);
    expect(inBursts).toEqual(inTurn);
    // Something was corrupted and something was not: the comparison says something.
    expect(inTurn.flat().some((o) => o >= 0)).toBe(true);
    expect(inTurn.flat().some((o) => o < 0)).toBe(true);
  });

  it('derives the streams from the seed and the global channel index', () => {
    const order = Array.from({ length: 32 }, () => 0);
    const chan1 = serve(new Corruption(7, 1, 1, 0.5), order, 1)[0];
    // The same channel (dma0chan1) as the second channel of an engine starting at 0.
    expect(
      serve(
        new Corruption(7, 0, 2, 0.5),
        order.map(() => 1),
        2,
      )[1],
    ).toEqual(chan1);
    expect(serve(new Corruption(7, 0, 1, 0.5), order, 1)[0]).not.toEqual(chan1);
    expect(serve(new Corruption(8, 1, 1, 0.5), order, 1)[0]).not.toEqual(chan1);
  });

  it('never draws, nor corrupts, with a probability of 0', () => {
    expect(serve(new Corruption(7, 0, 1, 0), [0, 0, 0, 0], 1)).toEqual([[-1, -1, -1, -1]]);
  });
});
