import { Prandom, deriveSeed } from '../../sched/random.js';

/**
 * Random streams of the corruption draws, one per channel (global index): apart from the
 * actors' (0, 1, ...), the schedulers' (0x5eed + actor) and dmatest threads' (1000 + t).
 */
const CORRUPT_STREAMS = 0x636f7272;

/**
 * The engine's fault injection (`--corrupt`): whether a transfer comes out with one byte
 * flipped, and which byte. Each channel draws from its own stream, derived from the run's
 * seed and the channel, so which transfers of a channel are corrupted depends only on the
 * seed and that channel's own order of transfers, not on the order in which the engine
 * happens to serve its channels (which the OS decides in a free run).
 */
export class Corruption {
  private readonly streams: Prandom[];

  /**
   * @param runSeed the run's `--seed`
   * @param firstChan global index of the engine's first channel
   * @param channels the engine's channels
   * @param probability chance that a transfer is corrupted (0: never draws)
   */
  constructor(
    runSeed: number,
    firstChan: number,
    channels: number,
    private readonly probability: number,
  ) {
    this.streams = Array.from(
      { length: channels },
      (_, k) => new Prandom(deriveSeed(runSeed, CORRUPT_STREAMS + firstChan + k)),
    );
  }

  /**
   * Draws for one transfer of the engine's channel `k`, whose `n` bytes were written at
   * `dst`, and flips one of them if it comes out corrupted.
   * @returns whether it did
   */
  inject(k: number, bytes: Uint8Array, dst: number, n: number): boolean {
    if (this.probability <= 0 || n <= 0) return false;
    const rng = this.streams[k]!;
    if (rng.float() >= this.probability) return false;
    // XOR with a non-zero byte: the flipped byte always differs.
    bytes[dst + (rng.u32() % n)]! ^= 1 + (rng.u32() % 255);
    return true;
  }
}
