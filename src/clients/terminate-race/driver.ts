import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { isErr } from '../../kernel/errno.js';
import { kfree } from '../../kernel/slab.js';
import { kmallocState, kzallocState } from '../../kernel/kmalloc-state.js';
import { spinLock, spinLockBh, spinUnlock, spinUnlockBh } from '../../kernel/spinlock.js';
import { stateOf } from '../../kernel/state.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import { dmaRequestChan, dmaReleaseChannel } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaSyncWait,
  dmaengineSubmit,
  dmaenginePrepDmaMemcpy,
} from '../../dmaengine/consumer.js';
import { dmaChans } from '../../dmaengine/device-list.js';
import {
  dmaengineSynchronize,
  dmaengineTerminateAsync,
  dmaengineTerminateSync,
} from '../../dmaengine/terminate.js';
import { DmaCtrlFlags, DmaStatus } from '../../dmaengine/types.js';
import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';
import { DmasimError } from '../../errors.js';

/** The variants of the stop path: the seed bug, its fix, and the callback that stops. */
export const TERMINATE_RACE_VARIANTS = ['sync', 'no-sync', 'terminate-sync-in-callback'] as const;
export type TerminateRaceVariant = (typeof TERMINATE_RACE_VARIANTS)[number];
const VARIANT_CODE = Object.fromEntries(TERMINATE_RACE_VARIANTS.map((v, i) => [v, i])) as Record<
  TerminateRaceVariant,
  number
>;

/**
 * The driver's private data (`struct terminate_race_priv`), kzalloc()'d at start and
 * kfree()'d by the stop path: what the completion callback updates.
 *   done         transfers whose callback has begun (set first thing, the stop path polls it)
 *   completions  transfers the callback accounted for, under the driver lock
 *   bytes        bytes they moved
 */
export const TERMINATE_RACE_PRIV = defineStruct('terminate_race_priv', {
  done: 'i32',
  completions: 'i32',
  bytes: 'i32',
});

/**
 * The driver's device struct (declared state, never freed):
 *   lock         the driver lock: the callback's accounting and the stop path take it
 *   wq           the stream waits here for its callbacks
 *   chan         the channel's global index; variant: the stop path's variant code
 *   transfers    transfers in the run; len: bytes each
 *   returned     callbacks that returned; returned_at_free: how many had when priv was freed
 *   freed        1 once priv was kfree()'d
 */
export const TERMINATE_RACE_DRV = defineStruct('terminate_race', {
  lock: { spinlock: 'terminate_race_lock' },
  wq: 'waitqueue',
  chan: 'i32',
  variant: 'i32',
  transfers: 'i32',
  len: 'i32',
  returned: 'i32',
  returned_at_free: 'i32',
  freed: 'i32',
});

/** One driver instance per run. */
export const TERMINATE_RACE = declareState('terminate-race', TERMINATE_RACE_DRV, 'machine');

const CALLBACK = 'terminate_race_dma_callback';

/**
 * The completion callback (param: the address of priv, as tx->callback_param = priv). It
 * signals the waiter first, then accounts under the driver lock: after the signal the
 * waiter may free priv unless it synchronizes with the callback first.
 */
const dmaCallback = defineCallback(CALLBACK, (param) => {
  const drv = stateOf(currentActor().machine, TERMINATE_RACE).at(0);
  const priv = kmallocState(TERMINATE_RACE_PRIV, param, CALLBACK);
  const n = priv.add('done', 1) + 1;
  drv.waitQueue('wq').wakeUp();
  const lock = drv.spinlock('lock');
  spinLock(lock);
  priv.add('completions', 1);
  priv.add('bytes', drv.load('len'));
  spinUnlock(lock);
  // A callback that stops its own channel when the last transfer is in: the kernel says it
  // must use terminate_async there; terminate_sync would wait for this very callback.
  if (drv.load('variant') === VARIANT_CODE['terminate-sync-in-callback']) {
    if (n === drv.load('transfers')) dmaengineTerminateSync(dmaChans()[drv.load('chan')]!);
  }
  drv.add('returned', 1);
});

/** What the driver saw. */
export interface TerminateRaceResult {
  variant: TerminateRaceVariant;
  chan: string;
  transfers: number;
  /** Callbacks that had returned when priv was kfree()'d (all of them with `sync`). */
  callbacksReturnedAtFree: number;
  /** Callbacks that returned by the end of the run. */
  callbacksReturned: number;
  /** Completions priv counted when it was freed. */
  completionsAtFree: number;
  /** The stop path found the last transfer complete (dma_sync_wait). */
  lastStatus: string;
}

const STATUS_NAMES = Object.keys(DmaStatus);

const FLAGS = DmaCtrlFlags.DMA_PREP_INTERRUPT | DmaCtrlFlags.DMA_CTRL_ACK;

/**
 * A driver that streams `transfers` memcpy transfers, its completion callback updating
 * kzalloc()'d private data, then stops:
 *
 *   spin_lock_bh(&drv->lock);            // the stop path runs with the driver lock held
 *   submit + issue the last transfer;
 *   dma_sync_wait(chan, cookie);         // busy-polls: legal under the lock
 *   while (!READ_ONCE(priv->done)) ...   // its callback has begun (on the irq's CPU)
 *   dmaengine_terminate_async(chan);     // legal in atomic context
 *   no-sync: kfree(priv); spin_unlock_bh(&drv->lock);
 *   sync:    spin_unlock_bh(&drv->lock); dmaengine_synchronize(chan); kfree(priv);
 *
 * The callback runs on the other CPU and waits for the driver lock to account, so whatever
 * the schedule it touches priv after the stop path's terminate: without synchronize, after
 * kfree() (KASAN: use-after-free in the callback).
 */
export function terminateRaceDriver(
  chanName: string,
  variant: TerminateRaceVariant,
  transfers: number,
  len: number,
): TerminateRaceResult {
  const { machine } = currentActor();
  const cpu = thisCpu();
  const drv = stateOf(machine, TERMINATE_RACE).at(0);
  const priv = kzallocState(TERMINATE_RACE_PRIV, 'terminate_race_stop');
  if (!priv) throw new DmasimError('DMASIM_INTERNAL', 'terminate-race: kzalloc failed');
  const chan = dmaRequestChan(chanName);
  if (isErr(chan))
    throw new DmasimError('DMASIM_INTERNAL', `${chanName}: request failed (${chan})`);
  drv.store('chan', chan.index);
  drv.store('variant', VARIANT_CODE[variant]);
  drv.store('transfers', transfers);
  drv.store('len', len);
  const src = machine.arena.alloc(len, 64);
  const dst = machine.arena.alloc(len * transfers, 64);
  if (src === 0 || dst === 0) throw new DmasimError('DMASIM_INTERNAL', 'arena exhausted');
  const submit = (k: number): number => {
    const tx = dmaenginePrepDmaMemcpy(chan, dst + k * len, src, len, FLAGS);
    if (!tx) throw new DmasimError('DMASIM_INTERNAL', 'prep_dma_memcpy returned NULL');
    tx.callback = dmaCallback;
    tx.callbackParam = priv.addr;
    return dmaengineSubmit(tx);
  };
  // The stream: every transfer but the last, one at a time, each waited for.
  const wq = drv.waitQueue('wq');
  for (let k = 0; k < transfers - 1; k++) {
    submit(k);
    dmaAsyncIssuePending(chan);
    if (!wq.waitEventTimeout(() => drv.load('returned') > k, 10_000))
      printk(`terminate-race: ${chanName}: transfer ${k} did not complete within 10 s`);
  }
  // The stop path.
  const lock = drv.spinlock('lock');
  spinLockBh(lock);
  const cookie = submit(transfers - 1);
  const status = dmaSyncWait(chan, cookie);
  const deadline = cpu.sched.deadline(10_000);
  while (priv.load('done') < transfers && cpu.sched.clock.now() < deadline) cpu.cpuRelax();
  dmaengineTerminateAsync(chan);
  let completionsAtFree = 0;
  const free = (): void => {
    drv.store('returned_at_free', drv.load('returned'));
    completionsAtFree = priv.load('completions');
    kfree(priv.addr);
    drv.store('freed', 1);
  };
  if (variant === 'no-sync') {
    free();
    spinUnlockBh(lock);
  } else {
    spinUnlockBh(lock);
    dmaengineSynchronize(chan);
    free();
  }
  dmaReleaseChannel(chan);
  return {
    variant,
    chan: chanName,
    transfers,
    callbacksReturnedAtFree: drv.load('returned_at_free'),
    callbacksReturned: drv.load('returned'),
    completionsAtFree,
    lastStatus: STATUS_NAMES[status] ?? String(status),
  };
}
