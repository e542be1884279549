import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { isErr } from '../../kernel/errno.js';
import { kfree, kmalloc } from '../../kernel/slab.js';
import { msleep } from '../../kernel/waitqueue.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import { dmaRequestChan, dmaReleaseChannel } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaengineSlaveConfig,
  dmaengineSubmit,
  dmaengineTxStatus,
} from '../../dmaengine/consumer.js';
import { dmaenginePrepDmaCyclic } from '../../dmaengine/prep-cyclic.js';
import { dmaGetSlaveCaps, emptySlaveCaps } from '../../dmaengine/slave-caps.js';
import { dmaengineSynchronize, dmaengineTerminateAsync } from '../../dmaengine/terminate.js';
import { vchanCyclicStats } from '../../dmaengine/vchan-cyclic.js';
import { DmaCtrlFlags, DmaTransferDirection, type DmaTxState } from '../../dmaengine/types.js';
import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';
import { stateOf } from '../../kernel/state.js';
import { findPeripheral } from '../../platform/peripherals.js';
import { FIFO_REGS, FifoCtrl, fifoStreamByte } from '../../peripherals/fifo/regs.js';
import { DmasimError } from '../../errors.js';
import { percentile } from './percentile.js';

/**
 * The PCM's shared state (`struct snd_pcm_runtime`, the parts this driver uses):
 *   hw_periods  periods the DMA has finished (hw_ptr, in periods, from the pointer)
 *   last_q      the period the DMA was in at the last period callback
 *   appl        periods the application has written (appl_ptr, in periods)
 *   callbacks   period callbacks (snd_pcm_period_elapsed calls)
 *   xruns       periods the DMA started before the application had written them
 *   sleep       the application's wait queue, woken by the period callback
 */
export const PCM = defineStruct('cyclic_pcm', {
  hw_periods: 'i32',
  last_q: 'i32',
  appl: 'i32',
  callbacks: 'i32',
  xruns: 'i32',
  period_bytes: 'i32',
  periods: 'i32',
  cookie: 'i32',
  chan: 'i32',
  sleep: 'waitqueue',
});

/** One per machine: the scenario plays one stream. */
export const PCM_STATE = declareState('cyclic-audio', PCM, 'machine');

/** The stream's parameters. */
export interface CyclicAudioOptions {
  chanName: string;
  device: string;
  /** Bytes per ms the codec consumes (sample rate x frame bytes / 1000). */
  bytesPerMs: number;
  periodBytes: number;
  periods: number;
  /** The application writes a period in (period time / consumer): below 1 it falls behind. */
  consumer: number;
  /** Periods played before the stream is stopped (mid-period). */
  stopAfter: number;
}

/** What the stream did. */
export interface CyclicAudioResult {
  /** Periods the driver signalled (vchan_cyclic_callback). */
  periods: number;
  /** Period callbacks the client got. */
  callbacks: number;
  /** Periods that coalesced into another period's callback. */
  coalescedPeriods: number;
  /** Periods the DMA began before the application had refilled them. */
  xruns: number;
  /** Bytes the codec played that were not the stream's (stale periods). */
  staleBytes: number;
  /** Codec periods that found its FIFO short (the DMA late). */
  codecUnderruns: number;
  /** The period time, and the time between period callbacks (median, 99th percentile). */
  periodMs: number;
  intervalMedianMs: number;
  intervalP99Ms: number;
  /** dma_get_slave_caps() said the channel can pause, resume and terminate. */
  caps: { cmdPause: boolean; cmdResume: boolean; cmdTerminate: boolean; residue: number };
}

/** Run-clock times of the period callbacks (the tasklet runs on this CPU's thread). */
let callbackTimes: number[] = [];

function pcm() {
  return stateOf(currentActor().machine, PCM_STATE).at(0);
}

/**
 * The DMA's position in periods, from the residue (snd_dmaengine_pcm_pointer():
 * buf_len - residue).
 */
function hwPeriod(chan: ReturnType<typeof dmaRequestChan>, ringBytes: number): number {
  const st = pcm();
  const state: DmaTxState = { last: 0, used: 0, residue: 0, inFlightBytes: 0 };
  if (isErr(chan)) return 0;
  dmaengineTxStatus(chan, st.load('cookie'), state);
  const pos = (ringBytes - state.residue) % ringBytes;
  return Math.floor(pos / st.load('period_bytes'));
}

/**
 * The period callback: snd_pcm_period_elapsed(). Reads the pointer, advances hw_ptr by the
 * periods it moved (several when periods coalesced), counts an xrun for every period the
 * DMA entered that the application had not written, and wakes the application.
 */
const periodElapsed = defineCallback('cyclic_audio_period_elapsed', () => {
  const { clock } = currentActor();
  callbackTimes.push(clock.now());
  const st = pcm();
  const n = st.load('periods');
  const q = hwPeriod(chanOf(st.load('chan')), n * st.load('period_bytes'));
  const delta = (q - st.load('last_q') + n) % n;
  st.store('last_q', q);
  const before = st.load('hw_periods');
  const after = before + delta;
  st.store('hw_periods', after);
  // The DMA now reads period `after`: an xrun for each entered period not yet written.
  const appl = st.load('appl');
  for (let a = before + 1; a <= after; a++) if (a >= appl) st.add('xruns', 1);
  st.add('callbacks', 1);
  st.waitQueue('sleep').wakeUp();
});

/** The channel with global index `index` (the callback knows the channel by number). */
let chanRef: Exclude<ReturnType<typeof dmaRequestChan>, number> | null = null;
function chanOf(index: number): ReturnType<typeof dmaRequestChan> {
  if (chanRef && chanRef.index === index) return chanRef;
  throw new DmasimError('DMASIM_INTERNAL', `cyclic-audio: channel ${index} is not this CPU's`);
}

/** Writes absolute period `a` of the stream into its slot of the ring. */
function writePeriod(ring: number, a: number, periods: number, periodBytes: number): void {
  const mem = currentActor().machine.arena.bytes;
  const at = ring + (a % periods) * periodBytes;
  const base = a * periodBytes;
  for (let j = 0; j < periodBytes; j++) mem[at + j] = fifoStreamByte(base + j);
}

/**
 * A playback PCM over a cyclic MEM_TO_DEV transfer (as snd_dmaengine_pcm): a kmalloc'd
 * ring of `periods` periods, prefilled; the codec (a tx FIFO device) consumes it at its
 * rate; each period callback advances hw_ptr, and the application refills the periods
 * played. After `stopAfter` periods the stream is stopped by the trigger (STOP runs
 * dmaengine_terminate_async() in atomic context, the sync_stop later synchronizes): on
 * the CPU the channel's irq goes to, with BH disabled, once the next period's interrupt
 * was handled, so vchan_cyclic_callback() has scheduled the tasklet and it cannot run
 * before the terminate (reference 5.3).
 */
export function cyclicAudioClient(o: CyclicAudioOptions): CyclicAudioResult {
  const st = pcm();
  callbackTimes = [];
  const fifo = findPeripheral(o.device);
  if (!fifo) throw new DmasimError('DMASIM_INTERNAL', `no peripheral ${o.device}`);
  const chan = dmaRequestChan(o.chanName);
  if (isErr(chan))
    throw new DmasimError('DMASIM_INTERNAL', `${o.chanName}: request failed (${chan})`);
  chanRef = chan;
  // snd_dmaengine_pcm_refine_runtime_hwparams() asks the channel what it can do.
  const caps = emptySlaveCaps();
  dmaGetSlaveCaps(chan, caps);
  const ringBytes = o.periods * o.periodBytes;
  const ring = kmalloc(ringBytes);
  if (ring === 0) throw new DmasimError('DMASIM_INTERNAL', 'kmalloc of the ring failed');
  for (let a = 0; a < o.periods; a++) writePeriod(ring, a, o.periods, o.periodBytes);
  st.store('appl', o.periods);
  st.store('period_bytes', o.periodBytes);
  st.store('periods', o.periods);
  st.store('chan', chan.index);
  dmaengineSlaveConfig(chan, {
    direction: DmaTransferDirection.DMA_MEM_TO_DEV,
    srcAddr: 0,
    dstAddr: fifo.dataAddr,
    srcAddrWidth: 4,
    dstAddrWidth: 4,
    srcMaxburst: 4,
    dstMaxburst: 4,
  });
  const tx = dmaenginePrepDmaCyclic(
    chan,
    ring,
    ringBytes,
    o.periodBytes,
    DmaTransferDirection.DMA_MEM_TO_DEV,
    DmaCtrlFlags.DMA_PREP_INTERRUPT,
  );
  if (!tx) throw new DmasimError('DMASIM_INTERNAL', 'prep_dma_cyclic returned NULL');
  tx.callback = periodElapsed;
  tx.callbackParam = 0;
  st.store('cookie', dmaengineSubmit(tx));
  dmaAsyncIssuePending(chan);
  Atomics.store(fifo.words, fifo.regs + FIFO_REGS.CTRL, FifoCtrl.EN);
  const periodMs = o.periodBytes / o.bytesPerMs;
  const refillMs = periodMs / o.consumer;
  const wq = st.waitQueue('sleep');
  // The application: write every period the DMA has finished, one period per refillMs.
  while (st.load('hw_periods') < o.stopAfter) {
    const hw = st.load('hw_periods');
    if (st.load('appl') < hw + o.periods) {
      msleep(refillMs);
      const a = Math.max(st.load('appl'), st.load('hw_periods'));
      writePeriod(ring, a, o.periods, o.periodBytes);
      st.store('appl', a + 1);
      continue;
    }
    if (!wq.waitEventTimeout(() => st.load('hw_periods') !== hw, 20 * periodMs + 1000)) {
      printk(`cyclic-audio: no period elapsed in ${20 * periodMs + 1000} ms`);
      break;
    }
  }
  // The codec's counts while the stream played (after the stop it only starves).
  const staleBytes = Atomics.load(fifo.words, fifo.regs + FIFO_REGS.MISMATCHES);
  const codecUnderruns = Atomics.load(fifo.words, fifo.regs + FIFO_REGS.UNDERRUNS);
  stopStream(chan, ringBytes, periodMs);
  const stats = vchanCyclicStats(chan);
  kfree(ring);
  dmaReleaseChannel(chan);
  chanRef = null;
  const intervals = callbackTimes.slice(1).map((t, k) => t - callbackTimes[k]!);
  return {
    periods: stats.periods,
    callbacks: st.load('callbacks'),
    coalescedPeriods: stats.coalescedPeriods,
    xruns: st.load('xruns'),
    staleBytes,
    codecUnderruns,
    periodMs,
    intervalMedianMs: percentile(intervals, 0.5),
    intervalP99Ms: percentile(intervals, 0.99),
    caps: {
      cmdPause: caps.cmdPause,
      cmdResume: caps.cmdResume,
      cmdTerminate: caps.cmdTerminate,
      residue: caps.residueGranularity,
    },
  };
}

/**
 * The STOP trigger, then sync_stop. The trigger runs with BH disabled on the CPU that takes
 * the channel's interrupt, and first waits until the pointer moves: the position comes from
 * the periods the irq handler signalled, so once it moved, the handler has run
 * vchan_cyclic_callback() and scheduled the tasklet here, where it cannot run until
 * local_bh_enable(). The terminate lands in that window on every run.
 */
function stopStream(
  chan: Exclude<ReturnType<typeof dmaRequestChan>, number>,
  ringBytes: number,
  periodMs: number,
): void {
  const cpu = thisCpu();
  const { clock } = currentActor();
  cpu.localBhDisable();
  const q0 = hwPeriod(chan, ringBytes);
  const deadline = clock.now() + 20 * periodMs + 1000;
  while (hwPeriod(chan, ringBytes) === q0 && clock.now() < deadline) cpu.cpuRelax();
  dmaengineTerminateAsync(chan);
  cpu.localBhEnable();
  dmaengineSynchronize(chan);
}
