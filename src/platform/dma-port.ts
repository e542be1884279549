import { defineLayout } from '../shm/layout.js';
import type { SchedView } from '../sched/sched-view.js';

/**
 * A peripheral's FIFO as the DMA controller sees it: the device on one side, the
 * controller's request/acknowledge handshake on the other. The FIFO's data register
 * address (the block's byte address) is what a client puts in its slave config
 * (src_addr for DEV_TO_MEM, dst_addr for MEM_TO_DEV); a controller that finds a port there
 * moves the transfer through the FIFO, paced by the device's DMA request, instead of
 * reading or writing memory at that address.
 *
 *   WR          bytes pushed so far (monotonic; the producer writes it)
 *   RD          bytes popped so far (monotonic; the consumer writes it)
 *   DEPTH       FIFO bytes (a power of two)
 *   WATERMARK   the request threshold: rx asserts DMA request while WR - RD >= WATERMARK,
 *               tx while DEPTH - (WR - RD) >= WATERMARK (a transfer's last bytes are
 *               requested when they are all there: the single request of a short tail)
 *   RX          1: the device produces (DEV_TO_MEM); 0: it consumes (MEM_TO_DEV)
 *   DMA_WAITER  actor + 1 of a controller waiting for the request (0: none)
 *   DMA_WANT    the bytes that controller's next burst wants (the request it waits for)
 *   DEV_WAITER  actor + 1 of the device waiting for data or room (0: none)
 *   DONE        bytes the device has finished with (monotonic; the device writes it): a
 *               tx device that processes what it pops counts it here once processed, so a
 *               controller can wait for "done", not only "consumed" (BAM's NWD)
 *   DATA        the storage, DEPTH bytes: byte k of the stream at DATA + (k & (DEPTH - 1))
 *
 * The request is derived from the counters, not a word of its own: two sides writing one
 * request word could leave it stale; a counter has one writer.
 */
export const PORT = defineLayout(
  ['WR', 'RD', 'DEPTH', 'WATERMARK', 'RX', 'DMA_WAITER', 'DMA_WANT', 'DEV_WAITER', 'DONE'],
  {},
  16,
);

/** Words a port with a FIFO of `depth` bytes takes. */
export function portWords(depth: number): number {
  return PORT.WORDS + Math.ceil(depth / 4);
}

/** A port over the arena; every thread builds its own over the same words. */
export class DmaPort {
  /** The data register's address (what slave configs name). */
  readonly addr: number;
  readonly depth: number;
  readonly watermark: number;
  readonly rx: boolean;
  private readonly mask: number;
  private readonly data: number;

  constructor(
    private readonly view: SchedView,
    /** Word index of the PORT block in the arena. */
    readonly base: number,
  ) {
    const w = view.machine.arena.words;
    this.addr = base * 4;
    this.depth = w[base + PORT.DEPTH]!;
    this.watermark = w[base + PORT.WATERMARK]!;
    this.rx = w[base + PORT.RX] !== 0;
    this.mask = this.depth - 1;
    this.data = (base + PORT.WORDS) * 4;
  }

  /** Host side: formats a port block at `base` (empty FIFO). */
  static format(words: Int32Array, base: number, depth: number, watermark: number, rx: boolean) {
    words[base + PORT.DEPTH] = depth;
    words[base + PORT.WATERMARK] = watermark;
    words[base + PORT.RX] = rx ? 1 : 0;
  }

  private get w(): Int32Array {
    return this.view.machine.arena.words;
  }

  /** Bytes in the FIFO. */
  level(): number {
    return (
      (Atomics.load(this.w, this.base + PORT.WR) - Atomics.load(this.w, this.base + PORT.RD)) | 0
    );
  }

  /** Room in the FIFO. */
  room(): number {
    return this.depth - this.level();
  }

  /** Bytes pushed so far (the producer's counter). */
  pushed(): number {
    return Atomics.load(this.w, this.base + PORT.WR);
  }

  /** Bytes popped so far (the consumer's counter). */
  popped(): number {
    return Atomics.load(this.w, this.base + PORT.RD);
  }

  /** Bytes the device has finished with (see PORT.DONE). */
  finished(): number {
    return Atomics.load(this.w, this.base + PORT.DONE);
  }

  /** The device has finished with `n` more bytes: wakes a controller waiting for it. */
  finish(n: number): void {
    Atomics.add(this.w, this.base + PORT.DONE, n);
    this.wakeOther();
  }

  /**
   * Whether the device requests `want` more bytes of a transfer: at least a watermark's
   * worth of data (rx) or room (tx), or all of a shorter tail.
   */
  dmaRequest(want: number): boolean {
    const have = this.rx ? this.level() : this.room();
    return have >= Math.min(this.watermark, want);
  }

  /** Copies `n` bytes from the arena at `src` into the FIFO (the caller checked room). */
  push(src: number, n: number, bytes: Uint8Array): void {
    const wr = this.pushed();
    this.copy(bytes, src, wr, n, true);
    // The data before the counter: a consumer that sees WR sees the bytes.
    Atomics.store(this.w, this.base + PORT.WR, (wr + n) | 0);
    this.wakeOther();
  }

  /** Copies `n` bytes out of the FIFO into the arena at `dst` (the caller checked level). */
  pop(dst: number, n: number, bytes: Uint8Array): void {
    const rd = this.popped();
    this.copy(bytes, dst, rd, n, false);
    Atomics.store(this.w, this.base + PORT.RD, (rd + n) | 0);
    this.wakeOther();
  }

  /** Pushes `n` bytes made by `byteAt(k)` for stream positions from the current WR. */
  pushMade(n: number, bytes: Uint8Array, byteAt: (k: number) => number): void {
    const wr = this.pushed();
    for (let i = 0; i < n; i++) bytes[this.data + ((wr + i) & this.mask)] = byteAt(wr + i);
    Atomics.store(this.w, this.base + PORT.WR, (wr + n) | 0);
    this.wakeOther();
  }

  /** Pops `n` bytes, handing each to `take(byte, k)` with its stream position. */
  popEach(n: number, bytes: Uint8Array, take: (byte: number, k: number) => void): void {
    const rd = this.popped();
    for (let i = 0; i < n; i++) take(bytes[this.data + ((rd + i) & this.mask)]!, rd + i);
    Atomics.store(this.w, this.base + PORT.RD, (rd + n) | 0);
    this.wakeOther();
  }

  /**
   * Says that `actor` waits for this port (a controller for its request, the device for
   * data or room). The waiter then re-checks the FIFO before it sleeps: the other side
   * moves its counter, then reads this word (Dekker), so one of them sees the other.
   */
  setWaiter(actor: number, dma: boolean, want = 0): void {
    if (dma) Atomics.store(this.w, this.base + PORT.DMA_WANT, want);
    Atomics.store(this.w, this.base + (dma ? PORT.DMA_WAITER : PORT.DEV_WAITER), actor + 1);
  }

  /** Clears a waiter set by setWaiter(). */
  clearWaiter(dma: boolean): void {
    Atomics.store(this.w, this.base + (dma ? PORT.DMA_WAITER : PORT.DEV_WAITER), 0);
  }

  /**
   * Wakes whoever waits on the other side (both words: the caller is one of them). The
   * controller only once its request is there: a device pushing a few bytes at a time
   * would otherwise wake it for every chunk below the watermark.
   */
  private wakeOther(): void {
    const w = this.w;
    const dma = Atomics.load(w, this.base + PORT.DMA_WAITER);
    if (dma !== 0 && this.dmaRequest(Atomics.load(w, this.base + PORT.DMA_WANT))) {
      this.view.wake(dma - 1);
    }
    const dev = Atomics.load(w, this.base + PORT.DEV_WAITER);
    if (dev !== 0) this.view.wake(dev - 1);
  }

  /** Copies between the arena at `addr` and the ring at stream position `pos`. */
  private copy(bytes: Uint8Array, addr: number, pos: number, n: number, into: boolean): void {
    let done = 0;
    while (done < n) {
      const at = (pos + done) & this.mask;
      const k = Math.min(n - done, this.depth - at);
      const ring = this.data + at;
      if (into) bytes.copyWithin(ring, addr + done, addr + done + k);
      else bytes.copyWithin(addr + done, ring, ring + k);
      done += k;
    }
  }
}
