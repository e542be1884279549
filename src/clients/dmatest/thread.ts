import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { Prandom, deriveSeed } from '../../sched/random.js';
import { msleep, wakeUpVar } from '../../kernel/waitqueue.js';
import { ENOMEM } from '../../kernel/errno.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import {
  dmaAsyncIsTxComplete,
  dmaAsyncIssuePending,
  dmaSubmitError,
  dmaSyncWait,
  dmaenginePrepDmaMemcpy,
  dmaengineSubmit,
} from '../../dmaengine/consumer.js';
import { dmaengineTerminateSync } from '../../dmaengine/terminate.js';
import { DmaCtrlFlags, DmaStatus, DmaTransactionType, dmaHasCap } from '../../dmaengine/types.js';
import { DMATEST_EVENTS } from './events.js';
import type { DmatestParams } from './params.js';
import { dmatestInitDsts, dmatestInitSrcs, dmatestVerifyAll } from './pattern.js';
import {
  dmatestDbgResultLine,
  dmatestPersec,
  dmatestKBs,
  dmatestResultLine,
  dmatestSummaryLine,
  fixptGetFrac,
  fixptToInt,
} from './format.js';
import { DMATEST_RESULTS, INFO, THREADS, type DmatestResult } from './shared.js';
import { stateOf } from '../../kernel/state.js';

/** One thread's summary, as printed and as returned in the run result. */
export interface DmatestSummary {
  thread: string;
  tests: number;
  failures: number;
  iops: string;
  kbPerSec: string;
  ret: number;
  line: string;
}

/**
 * dmatest_callback(): marks the thread's test done and wakes it; a callback after the
 * thread finished is the kernel's "memory may be corrupted" WARN.
 */
export const dmatestCallback = defineCallback('dmatest_callback', (t: number) => {
  const thread = stateOf(currentActor().machine, THREADS).at(t);
  if (thread.load('finished') === 0) {
    thread.store('done', 1);
    thread.waitQueue('doneWq').wakeUp();
  } else {
    printk('WARNING: dmatest: Kernel memory may be corrupted!!');
  }
});

/**
 * dmatest_func(): the kthread of test thread `t` on channel `chan`, memcpy flavour.
 * Follows the kernel loop step by step: length and offsets, fill, prep with
 * ACK|INTERRUPT (ACK only when polled), submit, issue + wait or dma_sync_wait, classify,
 * verify the six ranges, and the summary line with iops and KB/s.
 */
export function dmatestFunc(
  t: number,
  chan: DmaChan,
  name: string,
  params: DmatestParams,
): DmatestSummary {
  const cpu = thisCpu();
  const { machine, clock } = currentActor();
  const thread = stateOf(machine, THREADS).at(t);
  const arena = machine.arena;
  const bytes = arena.bytes;
  const rnd = new Prandom(deriveSeed(machine.spec.seed, 1000 + t));
  const wq = thread.waitQueue('doneWq');
  const bufSize = params.testBufSize;
  const align = params.alignment < 0 ? chan.device.copyAlign : params.alignment;
  let ret = 0;
  let totalTests = 0;
  let failedTests = 0;
  let totalLen = 0;
  let filltime = 0;
  let comparetime = 0;
  const log = (line: string): void => printk(`dmatest: ${line}`);
  const result = (
    what: DmatestResult,
    n: number,
    srcOff: number,
    dstOff: number,
    len: number,
    data: number,
  ): void => {
    log(dmatestResultLine(name, n, what, srcOff, dstOff, len, data));
    DMATEST_EVENTS.trace['dmatest.result'](
      t,
      n,
      DMATEST_RESULTS.indexOf(what),
      srcOff,
      dstOff,
      len,
      data,
    );
  };
  const verboseResult = (n: number, srcOff: number, dstOff: number, len: number): void => {
    if (!params.verbose) return;
    log(dmatestDbgResultLine(name, n, 'test passed', srcOff, dstOff, len, 0));
    DMATEST_EVENTS.trace['dmatest.result'](t, n, 0, srcOff, dstOff, len, 0);
  };

  let src = 0;
  let dst = 0;
  if (1 << align > bufSize) {
    log(`${bufSize}-byte buffer too small for ${1 << align}-byte alignment`);
    ret = -ENOMEM;
  } else {
    // kmalloc(buf_size + align) then PTR_ALIGN: the arena allocator aligns directly.
    src = arena.alloc(bufSize + align, Math.max(8, 1 << align));
    dst = arena.alloc(bufSize + align, Math.max(8, 1 << align));
    if (src === 0 || dst === 0) ret = -ENOMEM;
  }
  const polled =
    params.polled && !dmaHasCap(DmaTransactionType.DMA_COMPLETION_NO_ORDER, chan.device.capMask);
  const flags = polled
    ? DmaCtrlFlags.DMA_CTRL_ACK
    : DmaCtrlFlags.DMA_CTRL_ACK | DmaCtrlFlags.DMA_PREP_INTERRUPT;
  const start = clock.now();

  while (
    ret === 0 &&
    !cpu.shouldStop() &&
    !(params.iterations && totalTests >= params.iterations)
  ) {
    totalTests++;
    let len: number;
    if (params.transferSize) {
      if (params.transferSize >= bufSize) {
        log(`${params.transferSize}-byte transfer size must be lower than ${bufSize}-buffer size`);
        break;
      }
      len = params.transferSize;
    } else if (params.norandom) {
      len = bufSize;
    } else {
      len = (rnd.u32() % bufSize) + 1;
    }
    if (!params.transferSize) {
      len = (len >>> align) << align;
      if (!len) len = 1 << align;
    }
    totalLen += len;
    let srcOff = 0;
    let dstOff = 0;
    if (!params.norandom) {
      srcOff = rnd.u32() % (bufSize - len + 1);
      dstOff = rnd.u32() % (bufSize - len + 1);
      srcOff = (srcOff >>> align) << align;
      dstOff = (dstOff >>> align) << align;
    }
    if (!params.noverify) {
      const t0 = clock.now();
      dmatestInitSrcs(bytes, src, srcOff, len, bufSize, false);
      dmatestInitDsts(bytes, dst, dstOff, len, bufSize, false);
      filltime += clock.now() - t0;
    }

    const tx = dmaenginePrepDmaMemcpy(chan, dst + dstOff, src + srcOff, len, flags);
    if (!tx) {
      result('prep error', totalTests, srcOff, dstOff, len, ret);
      msleep(100);
      failedTests++;
      continue;
    }
    thread.store('done', 0);
    if (!polled) {
      tx.callback = dmatestCallback;
      tx.callbackParam = t;
    }
    const cookie = dmaengineSubmit(tx);
    if (dmaSubmitError(cookie)) {
      result('submit error', totalTests, srcOff, dstOff, len, ret);
      msleep(100);
      failedTests++;
      continue;
    }
    let status: DmaStatus;
    if (polled) {
      status = dmaSyncWait(chan, cookie);
      dmaengineTerminateSync(chan);
      if (status === DmaStatus.DMA_COMPLETE) thread.store('done', 1);
    } else {
      dmaAsyncIssuePending(chan);
      wq.waitEventTimeout(
        () => thread.load('done') !== 0,
        params.timeout < 0 ? Infinity : params.timeout,
      );
      status = dmaAsyncIsTxComplete(chan, cookie);
    }
    if (thread.load('done') === 0) {
      result('test timed out', totalTests, srcOff, dstOff, len, 0);
      failedTests++;
      continue;
    } else if (status !== DmaStatus.DMA_COMPLETE) {
      result(
        status === DmaStatus.DMA_ERROR ? 'completion error status' : 'completion busy status',
        totalTests,
        srcOff,
        dstOff,
        len,
        ret,
      );
      failedTests++;
      continue;
    }
    if (params.noverify) {
      verboseResult(totalTests, srcOff, dstOff, len);
      continue;
    }
    const t1 = clock.now();
    const errorCount = dmatestVerifyAll({
      src: bytes,
      srcBase: src,
      dst: bytes,
      dstBase: dst,
      srcOff,
      dstOff,
      len,
      bufSize,
      isMemset: false,
      threadName: name,
      log,
    });
    comparetime += clock.now() - t1;
    if (errorCount) {
      result('data error', totalTests, srcOff, dstOff, len, errorCount);
      failedTests++;
    } else {
      verboseResult(totalTests, srcOff, dstOff, len);
    }
  }

  const runtimeUs = Math.max(0, Math.round((clock.now() - start - comparetime - filltime) * 1000));
  const iops = dmatestPersec(runtimeUs, totalTests);
  const line = dmatestSummaryLine(name, totalTests, failedTests, runtimeUs, totalLen, ret);
  log(line);
  DMATEST_EVENTS.trace['dmatest.summary'](t, totalTests, failedTests, ret);
  if (ret || failedTests) dmaengineTerminateSync(chan);
  thread.store('tests', totalTests);
  thread.store('failures', failedTests);
  thread.store('finished', 1);
  const info = stateOf(machine, INFO).at(0);
  info.add('threadsDone', 1);
  wakeUpVar(info.words, info.i('threadsDone'));
  return {
    thread: name,
    tests: totalTests,
    failures: failedTests,
    iops: `${fixptToInt(iops)}.${fixptGetFrac(iops).toString().padStart(2, '0')}`,
    kbPerSec: dmatestKBs(runtimeUs, totalLen).toString(),
    ret,
    line,
  };
}
