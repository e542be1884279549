import { CHAN } from '../shm/channel-struct.js';
import type { Machine } from '../shm/machine.js';
import { KSpinlock } from '../kernel/spinlock.js';
import { KMutex } from '../kernel/mutex.js';
import {
  CHAN_LOCK_CLASS,
  CHAN_MUTEX_CLASS,
  VC_LOCK_CLASS,
  chanLockId,
} from '../kernel/lock-class.js';
import type { DmaDevice } from './provider.js';
import { dmaChanClient, type ClientDevice } from './client-device.js';

/**
 * `struct dma_chan` as a thread sees it: a handle onto the channel's words in shared
 * memory, plus its two locks. Every thread builds the same handles when devices register.
 */
export class DmaChan {
  readonly base: number;
  readonly w: Int32Array;
  /** virt_dma_chan.lock: guards the descriptor lists and cookies. */
  readonly vcLock: KSpinlock;
  /** dma_chan.lock: the safe prep API's fallback lock. */
  readonly lock: KSpinlock;
  /** dma_chan.lock as the v3 series had it (a mutex). */
  readonly mutex: KMutex;
  /** The provider's words (the arena's Int32 view): `hw` indexes its per-channel state. */
  readonly hwWords: Int32Array;
  /** The vchan tasklet's index in the TASKLET table (-1 until vchanInit()). */
  tasklet = -1;

  constructor(
    readonly machine: Machine,
    /** Global channel index. */
    readonly index: number,
    /** chan_id within its device. */
    readonly chanId: number,
    readonly device: DmaDevice,
    /** dma_chan_name(). */
    readonly name: string,
    /**
     * Word index in the arena of the provider's state of this channel (as `struct bam_chan`
     * around its virt_dma_chan; -1 for none): see DeviceSpec.regs.
     */
    readonly hw = -1,
  ) {
    this.hwWords = machine.arena.words;
    this.w = machine.chans;
    this.base = machine.chanBase(index);
    this.vcLock = new KSpinlock(
      this.w,
      this.base + CHAN.VC_LOCK,
      chanLockId(index, 0),
      VC_LOCK_CLASS,
    );
    this.lock = new KSpinlock(
      this.w,
      this.base + CHAN.CHAN_LOCK,
      chanLockId(index, 1),
      CHAN_LOCK_CLASS,
    );
    this.mutex = new KMutex(
      this.w,
      this.base + CHAN.CHAN_MUTEX,
      chanLockId(index, 2),
      CHAN_MUTEX_CLASS,
    );
  }

  /**
   * The client device that requested the channel (dma_chan.slave), or null: set before
   * device_alloc_chan_resources, cleared after device_free_chan_resources.
   */
  client(): ClientDevice | null {
    return dmaChanClient(this);
  }

  /** client_count. */
  clientCount(): number {
    return this.w[this.base + CHAN.CLIENT_COUNT]!;
  }
}
