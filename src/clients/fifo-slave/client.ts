import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { isErr } from '../../kernel/errno.js';
import {
  IrqReturn,
  defineIrqHandler,
  freeIrqHandler,
  requestIrqHandler,
} from '../../kernel/irq-handlers.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import { dmaRequestChan, dmaReleaseChannel } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaengineSlaveConfig,
  dmaengineSubmit,
  dmaenginePrepSlaveSingle,
} from '../../dmaengine/consumer.js';
import { DmaCtrlFlags, DmaTransferDirection } from '../../dmaengine/types.js';
import { dmaengineTerminateSync } from '../../dmaengine/terminate.js';
import { reportViolation } from '../../kernel/report/user-violation.js';
import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';
import { stateOf } from '../../kernel/state.js';
import { findPeripheral } from '../../platform/peripherals.js';
import { FIFO_REGS, FifoCtrl, FifoStatus, fifoStreamByte } from '../../peripherals/fifo/regs.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { DmasimError } from '../../errors.js';

/**
 * The driver's shared state (`struct fifo_slave`):
 *   dma_done   the DMA completion callback ran; done_wq its wait queue
 *   dev_done   the device's DONE interrupt was handled
 *   irqs       interrupts the handler took; status_seen the status bits it cleared
 *   irq_ctx    1 while every one ran in hardirq context with interrupts off
 *   irq_cpu    the CPU the last one ran on
 */
export const FIFO_SLAVE = defineStruct('fifo_slave', {
  dma_done: 'i32',
  dev_done: 'i32',
  done_wq: 'waitqueue',
  irqs: 'i32',
  status_seen: 'i32',
  irq_ctx: 'i32',
  irq_cpu: 'i32',
});

/** One per machine: the scenario has one driver instance. */
export const SLAVE = declareState('fifo-slave', FIFO_SLAVE, 'machine');

/** What the client saw. */
export interface FifoSlaveResult {
  /** The DMA transfer completed (not terminated after a lost stream). */
  completed: boolean;
  direction: 'rx' | 'tx';
  bytes: number;
  /** rx: received bytes that were not the device's stream; tx: what the device said. */
  mismatches: number;
  overruns: number;
  underruns: number;
  irqs: number;
  /** STATUS bits the interrupt handler found and cleared (FifoStatus). */
  statusSeen: number;
  /** Every interrupt ran in hardirq context with interrupts off. */
  hardirq: boolean;
  irqCpu: number;
  /** Run-clock ms from enabling the device to the DMA completion. */
  ms: number;
}

const slaveDone = defineCallback('fifo_slave_dma_done', () => {
  const st = stateOf(currentActor().machine, SLAVE).at(0);
  st.store('dma_done', 1);
  st.waitQueue('done_wq').wakeUp();
});

/** The device's interrupt: reads STATUS, clears what it saw (W1C), notes the context. */
const fifoIrq = defineIrqHandler('fifo_slave_irq', (_irq, devId) => {
  const { machine } = currentActor();
  const cpu = thisCpu();
  const w = machine.arena.words;
  const status = Atomics.load(w, devId + FIFO_REGS.STATUS);
  if (status === 0) return IrqReturn.IRQ_NONE;
  Atomics.and(w, devId + FIFO_REGS.STATUS, ~status);
  const st = stateOf(machine, SLAVE).at(0);
  st.add('irqs', 1);
  Atomics.or(st.words, st.i('status_seen'), status);
  if (!cpu.inHardirq() || !cpu.irqsDisabled()) st.store('irq_ctx', 0);
  st.store('irq_cpu', cpu.id);
  if ((status & FifoStatus.DONE) !== 0) {
    st.store('dev_done', 1);
    st.waitQueue('done_wq').wakeUp();
  }
  return IrqReturn.IRQ_HANDLED;
});

/**
 * A slave DMA driver for a FIFO device: one transfer of the device's whole stream
 * (`bytes`) through `chanName`, the device enabled after the transfer is issued, its
 * interrupt handled with request_irq(). rx verifies every byte received; tx fills the
 * buffer with the stream and lets the device check it.
 */
export function fifoSlaveClient(
  chanName: string,
  device: string,
  direction: 'rx' | 'tx',
  bytes: number,
  burst: number,
): FifoSlaveResult {
  const { machine, clock } = currentActor();
  const st = stateOf(machine, SLAVE).at(0);
  const fifo = findPeripheral(device);
  if (!fifo) throw new DmasimError('DMASIM_INTERNAL', `no peripheral ${device}`);
  const chan = dmaRequestChan(chanName);
  if (isErr(chan))
    throw new DmasimError('DMASIM_INTERNAL', `${chanName}: request failed (${chan})`);
  st.store('irq_ctx', 1);
  const ret = requestIrqHandler(fifo.irq, fifoIrq, fifo.regs);
  if (ret < 0) throw new DmasimError('DMASIM_INTERNAL', `request_irq(${fifo.irq}) failed (${ret})`);
  const buf = machine.arena.alloc(bytes, 64);
  if (buf === 0) throw new DmasimError('DMASIM_INTERNAL', 'arena exhausted');
  const rx = direction === 'rx';
  const mem = machine.arena.bytes;
  for (let k = 0; k < bytes; k++) mem[buf + k] = rx ? 0 : fifoStreamByte(k);
  dmaengineSlaveConfig(chan, {
    direction: rx ? DmaTransferDirection.DMA_DEV_TO_MEM : DmaTransferDirection.DMA_MEM_TO_DEV,
    srcAddr: rx ? fifo.dataAddr : 0,
    dstAddr: rx ? 0 : fifo.dataAddr,
    srcAddrWidth: 1,
    dstAddrWidth: 1,
    srcMaxburst: burst,
    dstMaxburst: burst,
  });
  const tx = dmaenginePrepSlaveSingle(
    chan,
    buf,
    bytes,
    rx ? DmaTransferDirection.DMA_DEV_TO_MEM : DmaTransferDirection.DMA_MEM_TO_DEV,
    DmaCtrlFlags.DMA_PREP_INTERRUPT | DmaCtrlFlags.DMA_CTRL_ACK,
  );
  if (!tx) throw new DmasimError('DMASIM_INTERNAL', 'prep_slave_single returned NULL');
  tx.callback = slaveDone;
  tx.callbackParam = 0;
  dmaengineSubmit(tx);
  dmaAsyncIssuePending(chan);
  const t0 = clock.now();
  // The device starts once the transfer waits for it, as a driver arms DMA before the FIFO.
  Atomics.store(
    fifo.words,
    fifo.regs + FIFO_REGS.CTRL,
    FifoCtrl.EN | FifoCtrl.IRQ_DONE | FifoCtrl.IRQ_OVERRUN | FifoCtrl.IRQ_UNDERRUN,
  );
  const wq = st.waitQueue('done_wq');
  // The device says when its stream is over (DONE); the transfer ends after its last burst.
  if (!wq.waitEventTimeout(() => st.load('dev_done') !== 0, 60_000)) {
    printk(`fifo-slave: ${device} raised no DONE within 60 s`);
  }
  // After an overrun the stream has fewer bytes than the transfer: it can never complete.
  const lostBytes = (st.load('status_seen') & FifoStatus.OVERRUN) !== 0;
  const completed = wq.waitEventTimeout(() => st.load('dma_done') !== 0, lostBytes ? 50 : 60_000);
  const ms = clock.now() - t0;
  if (!completed) {
    printk(`fifo-slave: ${chanName}: the transfer did not complete, terminating it`);
    dmaengineTerminateSync(chan);
  }
  let mismatches = 0;
  if (rx && completed) {
    for (let k = 0; k < bytes; k++) {
      if (mem[buf + k] === fifoStreamByte(k)) continue;
      if (mismatches++ === 0) {
        VERIFY_EVENTS.trace['verify.error'](
          chan.index,
          buf + k,
          fifoStreamByte(k),
          mem[buf + k]!,
          0,
        );
      }
    }
  } else if (!rx) {
    mismatches = Atomics.load(fifo.words, fifo.regs + FIFO_REGS.MISMATCHES);
    if (mismatches > 0)
      VERIFY_EVENTS.trace['verify.error'](chan.index, fifo.dataAddr, 0, 0, mismatches);
  }
  const overruns = Atomics.load(fifo.words, fifo.regs + FIFO_REGS.OVERRUNS);
  const underruns = Atomics.load(fifo.words, fifo.regs + FIFO_REGS.UNDERRUNS);
  if (overruns > 0) {
    reportViolation('fifo-overrun', {
      message: `${device}: ${overruns} bytes lost: the DMA did not drain the FIFO in time (${chanName})`,
      device,
      bytes: overruns,
    });
  }
  if (underruns > 0) {
    reportViolation('fifo-underrun', {
      message: `${device}: starved ${underruns} times: the DMA did not fill the FIFO in time (${chanName})`,
      device,
      periods: underruns,
    });
  }
  freeIrqHandler(fifo.irq);
  dmaReleaseChannel(chan);
  return {
    completed,
    direction,
    bytes,
    mismatches,
    overruns,
    underruns,
    irqs: st.load('irqs'),
    statusSeen: st.load('status_seen'),
    hardirq: st.load('irq_ctx') === 1 && st.load('irqs') > 0,
    irqCpu: st.load('irq_cpu'),
    ms,
  };
}
