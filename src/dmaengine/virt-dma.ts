import { TASKLET, TaskletState } from '../shm/irq-struct.js';
import { DESC, DescState } from '../shm/descriptor-pool.js';
import { STAT } from '../shm/control-block.js';
import { currentActor, thisCpu } from '../kernel/current.js';
import { spinLockIrqsave, spinUnlockIrqrestore } from '../kernel/spinlock.js';
import { taskletSetup } from '../kernel/interrupts.js';
import { lockdep_assert_held } from '../kernel/report/lockdep-assert.js';
import { EventCode } from '../events/kinds.js';
import { Point } from '../sched/labels.js';
import { WaitFlag, WaitOp } from '../sched/wait-spec.js';
import { trace } from '../events/trace.js';
import type { DmaChan } from './chan.js';
import { dmaCookieAssign, dmaCookieComplete } from './cookie.js';
import { cookieWindowCheck } from './cookie-window.js';
import { invokeCallback } from './callbacks.js';
import { reportMisuse } from './misuse.js';
import { dmaRunDependencies } from './dependency.js';
import { DmaengineTxResult } from './types.js';
import { vchanInvokeCyclic, vchanTakeCyclic } from './vchan-cyclic.js';
import { CHAN } from '../shm/channel-struct.js';
import {
  LIST_HEAD,
  descBase,
  listAddTail,
  listDel,
  listFirst,
  listSpliceTailInit,
  listTakeAll,
} from './vchan-list.js';

/**
 * vchan_init(): binds the channel to its tasklet (an entry of the TASKLET table the
 * provider asked for), whose function is vchan_complete(). Every thread calls it at probe.
 * @param callbackUnderLock the PL08x bug: the tasklet runs callbacks with vc.lock held
 */
export function vchanInit(chan: DmaChan, tasklet: number, callbackUnderLock = false): void {
  chan.tasklet = tasklet;
  taskletSetup(tasklet, () => vchanComplete(chan, callbackUnderLock));
}

/** The list a descriptor in `state` sits on, or -1. */
function listOf(state: number): number {
  switch (state) {
    case DescState.PREPARED:
      return LIST_HEAD.ALLOCATED;
    case DescState.SUBMITTED:
      return LIST_HEAD.SUBMITTED;
    case DescState.ISSUED:
      return LIST_HEAD.ISSUED;
    case DescState.COMPLETED:
      return LIST_HEAD.COMPLETED;
    case DescState.TERMINATED:
      return LIST_HEAD.TERMINATED;
    default:
      return -1;
  }
}

/**
 * vchan_tx_prep(): records the flags, and adds the descriptor to desc_allocated under
 * vc.lock (irqsave: prep may run in a callback).
 */
export function vchanTxPrep(chan: DmaChan, desc: number, flags: number): number {
  const d = chan.machine.pool.words;
  const db = descBase(desc);
  d[db + DESC.FLAGS] = flags;
  d[db + DESC.CHAN] = chan.index;
  d[db + DESC.RESULT] = DmaengineTxResult.DMA_TRANS_NOERROR;
  const f = spinLockIrqsave(chan.vcLock);
  listAddTail(chan.w, chan.base, LIST_HEAD.ALLOCATED, d, desc);
  spinUnlockIrqrestore(chan.vcLock, f);
  return desc;
}

/**
 * vchan_tx_submit(): assigns the cookie under vc.lock and moves the descriptor to
 * desc_submitted. A descriptor already on desc_submitted is moved to its tail with a new
 * cookie, exactly as the kernel's list_move_tail would.
 * @returns the cookie
 */
export function vchanTxSubmit(chan: DmaChan, desc: number): number {
  const d = chan.machine.pool.words;
  const db = descBase(desc);
  const f = spinLockIrqsave(chan.vcLock);
  const cookie = dmaCookieAssign(chan.w, chan.base, d, db);
  const from = listOf(d[db + DESC.STATE]!);
  if (from >= 0) listDel(chan.w, chan.base, from, d, desc);
  listAddTail(chan.w, chan.base, LIST_HEAD.SUBMITTED, d, desc);
  d[db + DESC.STATE] = DescState.SUBMITTED;
  spinUnlockIrqrestore(chan.vcLock, f);
  return cookie;
}

/**
 * vchan_issue_pending(): splices desc_submitted onto desc_issued. Caller holds vc.lock,
 * which it asserts as the kernel's does (a provider that forgets it is `lockdep-assert`).
 * @returns whether desc_issued is non-empty, and how many moved (for the issue event)
 */
export function vchanIssuePending(chan: DmaChan): { pending: boolean; moved: number } {
  lockdep_assert_held(chan.vcLock);
  const d = chan.machine.pool.words;
  const moved = listSpliceTailInit(
    chan.w,
    chan.base,
    LIST_HEAD.SUBMITTED,
    LIST_HEAD.ISSUED,
    d,
    DescState.ISSUED,
  );
  return { pending: listFirst(chan.w, chan.base, LIST_HEAD.ISSUED) >= 0, moved };
}

/** vchan_next_desc(): first of desc_issued, or -1. Caller holds vc.lock. */
export function vchanNextDesc(chan: DmaChan): number {
  return listFirst(chan.w, chan.base, LIST_HEAD.ISSUED);
}

/** Takes a descriptor off desc_issued to hand it to the hardware. Caller holds vc.lock. */
export function vchanStartDesc(chan: DmaChan, desc: number): void {
  const d = chan.machine.pool.words;
  listDel(chan.w, chan.base, LIST_HEAD.ISSUED, d, desc);
  d[descBase(desc) + DESC.STATE] = DescState.ACTIVE;
}

/**
 * vchan_cookie_complete(): completes the cookie, queues the descriptor on desc_completed
 * and schedules the channel's tasklet on this CPU. Caller holds vc.lock.
 */
export function vchanCookieComplete(chan: DmaChan, desc: number): void {
  const d = chan.machine.pool.words;
  const db = descBase(desc);
  cookieWindowCheck(chan, db);
  dmaCookieComplete(chan.w, chan.base, d, db);
  d[db + DESC.STATE] = DescState.COMPLETED;
  listAddTail(chan.w, chan.base, LIST_HEAD.COMPLETED, d, desc);
  thisCpu().taskletSchedule(chan.tasklet);
}

/** vchan_find_desc(): searches desc_issued only, as the kernel does. Caller holds vc.lock. */
export function vchanFindDesc(chan: DmaChan, cookie: number): number {
  const d = chan.machine.pool.words;
  for (
    let i = listFirst(chan.w, chan.base, LIST_HEAD.ISSUED);
    i >= 0;
    i = d[descBase(i) + DESC.NEXT]!
  ) {
    if (d[descBase(i) + DESC.COOKIE] === cookie) return i;
  }
  return -1;
}

/**
 * vchan_terminate_vdesc(): parks a descriptor the hardware may still touch, and clears
 * vc->cyclic if it names it (the fix of the cyclic terminate race: a scheduled tasklet
 * then finds NULL). Caller holds vc.lock.
 */
export function vchanTerminateVdesc(chan: DmaChan, desc: number): void {
  const d = chan.machine.pool.words;
  d[descBase(desc) + DESC.STATE] = DescState.TERMINATED;
  listAddTail(chan.w, chan.base, LIST_HEAD.TERMINATED, d, desc);
  if (chan.w[chan.base + CHAN.CYCLIC] === desc) chan.w[chan.base + CHAN.CYCLIC] = -1;
}

/**
 * vchan_get_all_descriptors(): empties allocated, submitted, issued, completed and
 * terminated into `out`. Caller holds vc.lock.
 */
export function vchanGetAllDescriptors(chan: DmaChan, out: number[]): void {
  const d = chan.machine.pool.words;
  for (const head of [
    LIST_HEAD.ALLOCATED,
    LIST_HEAD.SUBMITTED,
    LIST_HEAD.ISSUED,
    LIST_HEAD.COMPLETED,
    LIST_HEAD.TERMINATED,
  ]) {
    listTakeAll(chan.w, chan.base, head, d, out);
  }
}

/** vchan_dma_desc_free_list(): frees descriptors outside the lock. */
export function vchanDmaDescFreeList(chan: DmaChan, descs: readonly number[]): void {
  for (const i of descs) chan.machine.pool.free(i);
}

/**
 * vchan_vdesc_fini(): a REUSE descriptor goes back to desc_allocated for the client to
 * submit again; any other is freed.
 */
export function vchanVdescFini(chan: DmaChan, desc: number): void {
  const d = chan.machine.pool.words;
  const db = descBase(desc);
  if (d[db + DESC.REUSE] !== 0) {
    const f = spinLockIrqsave(chan.vcLock);
    d[db + DESC.STATE] = DescState.PREPARED;
    listAddTail(chan.w, chan.base, LIST_HEAD.ALLOCATED, d, desc);
    spinUnlockIrqrestore(chan.vcLock, f);
  } else {
    chan.machine.pool.free(desc);
  }
}

const result = { result: DmaengineTxResult.DMA_TRANS_NOERROR as DmaengineTxResult, residue: 0 };

/**
 * vchan_complete(), the channel's tasklet: under vc.lock take desc_completed and
 * vc->cyclic (clearing it), drop the lock, invoke the cyclic callback, then for each
 * descriptor invoke its callback and only then fini it (the post-2020 order). Callbacks
 * therefore run without the provider's lock and may re-enter the API.
 */
export function vchanComplete(chan: DmaChan, callbackUnderLock = false): void {
  const d = chan.machine.pool.words;
  const local: number[] = [];
  // spin_lock_irq in the kernel's tasklet; irqsave here, which is the same there and also
  // right when the provider completes from its hardirq handler (irqs already off).
  const flags = spinLockIrqsave(chan.vcLock);
  listTakeAll(chan.w, chan.base, LIST_HEAD.COMPLETED, d, local);
  for (const i of local) d[descBase(i) + DESC.STATE] = DescState.CALLBACK;
  const cyclic = vchanTakeCyclic(chan);
  // The PL08x bug (commit 858c21c0f380 fixed it there): callbacks invoked with the
  // provider's lock held, so a callback that preps again takes that lock recursively.
  if (!callbackUnderLock) spinUnlockIrqrestore(chan.vcLock, flags);
  try {
    if (cyclic) vchanInvokeCyclic(chan, cyclic);
    invokeAll(chan, local);
  } finally {
    if (callbackUnderLock) spinUnlockIrqrestore(chan.vcLock, flags);
  }
}

/** Invokes the callbacks of completed descriptors, then finis them (callback, then free). */
function invokeAll(chan: DmaChan, local: readonly number[]): void {
  const d = chan.machine.pool.words;
  const actor = currentActor();
  const cpu = thisCpu();
  const stats = actor.machine.stats;
  const sb = actor.machine.statBase(actor.index);
  let callbacks = 0;
  for (const i of local) {
    const db = descBase(i);
    const callback = d[db + DESC.CALLBACK]!;
    const callbackResult = d[db + DESC.CALLBACK_RESULT]!;
    // dmaengine_desc_callback_valid(): callback || callback_result.
    if (callback !== 0 || callbackResult !== 0) {
      result.result = d[db + DESC.RESULT]! as DmaengineTxResult;
      result.residue = d[db + DESC.RESULT_RESIDUE]!;
      const gen = d[db + DESC.GEN]!;
      trace(EventCode['callback.begin'], chan.index, i, result.result, result.residue, gen);
      cpu.point(Point.callback);
      if (!invokeCallback(callback, callbackResult, d[db + DESC.CALLBACK_PARAM]!, result)) {
        unknownCallback(chan, i, callbackResult !== 0 ? callbackResult : callback);
      }
      cpu.point(Point['callback/exit']);
      trace(EventCode['callback.end'], chan.index, i, gen);
      callbacks++;
    }
    // async_tx: a provider that supports dependencies submits tx->next after the callback.
    if (chan.device.runsDependencies && d[db + DESC.ASYNC_TX]! >>> 2 !== 0) {
      dmaRunDependencies(chan, i);
    }
    // Under the PL08x bug vc.lock is held here: fini must not take it again.
    if (d[db + DESC.REUSE] !== 0 && chan.vcLock.owner() === currentActor().cpu?.id) {
      d[db + DESC.STATE] = DescState.PREPARED;
      listAddTail(chan.w, chan.base, LIST_HEAD.ALLOCATED, d, i);
    } else {
      vchanVdescFini(chan, i);
    }
  }
  stats[sb + STAT.CALLBACKS]! += callbacks;
  stats[sb + STAT.TASKLETS]!++;
  trace(EventCode.tasklet, chan.index, callbacks);
}

/**
 * A descriptor's callback id names no callback loaded in this thread: it was defined after
 * load (in a program, on some CPUs only), so the CPU running the tasklet does not have it.
 */
function unknownCallback(chan: DmaChan, desc: number, id: number): void {
  reportMisuse(
    'unknown-callback',
    chan.index,
    id,
    `dmaengine: ${chan.name}: descriptor ${desc}: callback id 0x${(id >>> 0).toString(16)} is not ` +
      `loaded on ${currentActor().name}, so it does not run: define callbacks with defineCallback() ` +
      'at the top level of a module, not inside a program, so that every CPU has them',
  );
}

/**
 * vchan_synchronize(): tasklet_kill() — wait until the tasklet is neither scheduled nor
 * running — then free desc_terminated. May sleep.
 */
export function vchanSynchronize(chan: DmaChan): void {
  const c = chan.w;
  thisCpu().waitWord(
    Point.poll,
    chan.machine.tasklets,
    chan.tasklet * TASKLET.WORDS + TASKLET.STATE,
    WaitOp.MASK_CLEAR,
    TaskletState.SCHED | TaskletState.RUN,
    Infinity,
    WaitFlag.INTERRUPTIBLE | WaitFlag.POLLED,
  );
  const d = chan.machine.pool.words;
  const out: number[] = [];
  const f = spinLockIrqsave(chan.vcLock);
  listTakeAll(c, chan.base, LIST_HEAD.TERMINATED, d, out);
  spinUnlockIrqrestore(chan.vcLock, f);
  vchanDmaDescFreeList(chan, out);
}
