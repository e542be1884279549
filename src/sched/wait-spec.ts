/**
 * What a wait waits for, as data another thread can evaluate: never a closure. A blocked
 * actor can run again when
 *   - its condition word satisfies `op value` (a lock word freed, a counter reached), or
 *   - its WAKE word moved past the value it read before its own last check (wake_up(),
 *     an irq raised at it, a doorbell): the futex rule, so a wake between that check and the
 *     sleep is never lost, or
 *   - its deadline passed on the run clock, or
 *   - it is an interruptible CPU wait and an interrupt can be delivered to it.
 * A waiter whose condition is its own code (wait_event's `condition`) waits with op NEVER:
 * only a wake lets it re-check, exactly as in the kernel.
 */
export const WaitOp = {
  /** Only a wake, a timeout or an interrupt ends the wait. */
  NEVER: 0,
  EQ: 1,
  NE: 2,
  /** A wrapping 32-bit counter has reached `value`: (word - value) | 0 >= 0. */
  GE: 3,
  /** Every bit of `value` is clear in the word. */
  MASK_CLEAR: 4,
} as const;
export type WaitOp = (typeof WaitOp)[keyof typeof WaitOp];

/** Bits of a spec's flags. */
export const WaitFlag = {
  /** A CPU waiting with interrupts deliverable takes them while it waits. */
  INTERRUPTIBLE: 1,
  /** Nobody wakes the waiter when the word changes (hardware state): free mode re-polls it. */
  POLLED: 2,
  /** The waiter already spun (spinUntil()): free mode sleeps at once. */
  NO_SPIN: 4,
} as const;

/** Whether `word` satisfies `op value`. */
export function opHolds(word: number, op: number, value: number): boolean {
  switch (op) {
    case WaitOp.EQ:
      return word === value;
    case WaitOp.NE:
      return word !== value;
    case WaitOp.GE:
      return ((word - value) | 0) >= 0;
    case WaitOp.MASK_CLEAR:
      return (word & value) === 0;
    default:
      return false;
  }
}

/** The shared buffers a wait's condition word may live in (ids stored in SPEC_BUF). */
export const WAIT_BUFFERS = ['control', 'cpus', 'chans', 'arena', 'pool', 'tasklets'] as const;
export type WaitBuffer = (typeof WAIT_BUFFERS)[number];

/** A condition word named so that every thread can find it: buffer id and word index. */
export interface WordRef {
  buf: number;
  index: number;
}

/**
 * Names `words[index]` by buffer id and absolute word index among `views` (one Int32Array
 * per WAIT_BUFFERS entry, each over the whole buffer).
 * @throws Error when `words` is not a view of one of the machine's shared buffers
 */
export function wordRef(views: readonly Int32Array[], words: Int32Array, index: number): WordRef {
  // Callers mostly pass the machine's own views (each over its whole buffer, offset 0): an
  // identity test spares the buffer and offset getters, which are calls, not loads.
  for (let buf = 0; buf < views.length; buf++) {
    if (views[buf] === words) return { buf, index };
  }
  for (let buf = 0; buf < views.length; buf++) {
    if (views[buf]!.buffer === words.buffer) {
      return { buf, index: words.byteOffset / 4 + index };
    }
  }
  throw new Error('a wait condition must live in shared machine memory (the arena, channels, ...)');
}
