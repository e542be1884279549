import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { msleep, waitVarEventTimeout, wakeUpVar } from '../../kernel/waitqueue.js';
import { WaitOp } from '../../sched/wait-spec.js';
import { isErr } from '../../kernel/errno.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import { dmaChans } from '../../dmaengine/device-list.js';
import { dmaReleaseChannel, dmaRequestChan } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaenginePrepSlaveSingle,
  dmaengineSlaveConfig,
  dmaengineSubmit,
} from '../../dmaengine/consumer.js';
import { dmaengineTerminateSync } from '../../dmaengine/terminate.js';
import { dmaenginePrepConfigSingleSafe } from '../../dmaengine/prep-config.js';
import { dmaMapSingle, dmaUnmapSingle, dmaengineGetDmaDevice } from '../../dma-mapping/mapping.js';
import { DmaDataDirection } from '../../dma-mapping/direction.js';
import { DmaCtrlFlags, DmaTransferDirection, type DmaSlaveConfig } from '../../dmaengine/types.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { DmasimError } from '../../errors.js';
import {
  INFO,
  SLOTS,
  STREAMS,
  STREAM_STATE,
  streamByte,
  type CONFIG_RACE_STREAM,
} from './shared.js';
import { stateOf, type StateInstance } from '../../kernel/state.js';

/** Which API a client uses to configure and prepare. */
export type ConfigRaceApi = 'unsafe' | 'safe';

/** What every config-race CPU needs to know. */
export interface ConfigRaceParams {
  api: ConfigRaceApi;
  clients: number;
  len: number;
  iterations: number;
}

/** What one client saw. */
export interface ConfigRaceResult {
  client: number;
  transfers: number[];
  errors: number[];
  prepFailures: number[];
}

const FLAGS = DmaCtrlFlags.DMA_CTRL_ACK | DmaCtrlFlags.DMA_PREP_INTERRUPT;

/** info.api values. */
const API_UNSAFE = 0;
const API_SAFE = 1;

type Stream = StateInstance<(typeof CONFIG_RACE_STREAM)['fields']>;

/** Stream `s` of client `c`. */
function streamOf(c: number, s: number): Stream {
  return stateOf(currentActor().machine, STREAM_STATE).at(c * STREAMS + s);
}

/** The transfer length every client runs with (set by each before its first transfer). */
function transferLen(): number {
  return stateOf(currentActor().machine, INFO).at(0).get('len');
}

function config(st: Stream, slot: number): DmaSlaveConfig {
  return {
    direction: DmaTransferDirection.DMA_MEM_TO_DEV,
    srcAddr: 0,
    dstAddr: st.get('fifo') + slot * transferLen(),
    srcAddrWidth: 4,
    dstAddrWidth: 4,
    srcMaxburst: 8,
    dstMaxburst: 8,
  };
}

/**
 * Configures, prepares, submits and issues stream (c, s)'s next transfer with the chosen
 * API: `unsafe` is the old client pattern (slave_config, then prep: another caller can
 * slip in between), `safe` is dmaengine_prep_config_single_safe().
 * @returns false when prep failed
 */
function submitNext(chan: DmaChan, c: number, s: number): boolean {
  const info = stateOf(currentActor().machine, INFO).at(0);
  const st = streamOf(c, s);
  const len = info.get('len');
  const src = st.get('src');
  const cfg = config(st, st.get('submitted') % SLOTS[s]!);
  let tx;
  if (info.get('api') === API_SAFE) {
    // Map first, then config + prep in one safe call (nvmet pci-epf after the series).
    const dma = dmaMapSingle(dmaengineGetDmaDevice(chan), src, len, DmaDataDirection.DMA_TO_DEVICE);
    tx = dmaenginePrepConfigSingleSafe(
      chan,
      dma,
      len,
      DmaTransferDirection.DMA_MEM_TO_DEV,
      FLAGS,
      cfg,
    );
  } else {
    // nvmet pci-epf's order before the series: config, map the buffer, prep. Another
    // caller's config can land while this one maps.
    dmaengineSlaveConfig(chan, cfg);
    const dma = dmaMapSingle(dmaengineGetDmaDevice(chan), src, len, DmaDataDirection.DMA_TO_DEVICE);
    tx = dmaenginePrepSlaveSingle(chan, dma, len, DmaTransferDirection.DMA_MEM_TO_DEV, FLAGS);
  }
  if (!tx) {
    dmaUnmapSingle(dmaengineGetDmaDevice(chan), src, len, DmaDataDirection.DMA_TO_DEVICE);
    st.add('prepFailures', 1);
    return false;
  }
  tx.callback = configRaceCallback;
  tx.callbackParam = c * STREAMS + s;
  st.store('idle', 0);
  st.set('submitted', st.get('submitted') + 1);
  dmaengineSubmit(tx);
  dmaAsyncIssuePending(chan);
  return true;
}

/** Checks that FIFO slot `slot` of stream (c, s) holds its own bytes only, then clears it. */
function verify(c: number, s: number, slot: number): void {
  const { machine } = currentActor();
  const st = streamOf(c, s);
  const len = transferLen();
  const bytes = machine.arena.bytes;
  const fifo = st.get('fifo') + slot * len;
  const want = streamByte(c, s);
  let errors = 0;
  let at = -1;
  for (let i = 0; i < len; i++) {
    if (bytes[fifo + i] !== want) {
      if (at < 0) at = i;
      errors++;
    }
  }
  if (errors > 0) {
    st.add('errors', 1);
    VERIFY_EVENTS.trace['verify.error'](0, fifo + at, want, bytes[fifo + at]!, errors);
  }
  bytes.fill(0, fifo, fifo + len);
}

/** Unmaps a completed transfer of stream `st` (every transfer of a stream maps its one source). */
function unmap(chan: DmaChan, st: Stream): void {
  dmaUnmapSingle(
    dmaengineGetDmaDevice(chan),
    st.get('src'),
    transferLen(),
    DmaDataDirection.DMA_TO_DEVICE,
  );
}

/**
 * The completion callback (softirq, or hardirq with callbackContext=hardirq, on the CPU
 * the channel interrupts): counts, verifies a chained stream's FIFO and, like nvmet
 * pci-epf, prepares that stream's next transfer right here.
 */
export const configRaceCallback = defineCallback('config_race_callback', (param: number) => {
  const c = Math.floor(param / STREAMS);
  const s = param % STREAMS;
  const st = streamOf(c, s);
  if (s === 1) {
    // In order on one channel: this is the stream's done-th transfer, in that slot.
    verify(c, s, st.get('done') % SLOTS[1]);
    unmap(dmaChans()[0]!, st);
    if (st.load('stop') === 0) submitNext(dmaChans()[0]!, c, s);
    else if (st.get('submitted') === st.get('done') + 1) st.store('idle', 1);
  }
  st.add('done', 1);
  st.waitQueue('wq').wakeUp();
});

/**
 * CPU c's program: cpu0 requests the shared channel; every client starts its callback
 * chain, then runs its process-context stream (config + prep + submit + wait + verify)
 * until it has done `iterations` transfers or the run stops; cpu0 releases the channel
 * when all are done.
 */
export function configRaceClient(c: number, p: ConfigRaceParams): ConfigRaceResult {
  const cpu = thisCpu();
  const { machine } = currentActor();
  const info = stateOf(machine, INFO).at(0);
  const len = p.len;
  // Every client stores the same values, before its first transfer (whose callback reads them).
  info.store('api', p.api === 'safe' ? API_SAFE : API_UNSAFE);
  info.store('len', len);
  for (let s = 0; s < STREAMS; s++) {
    const st = streamOf(c, s);
    const src = machine.arena.alloc(len, 64);
    const fifo = machine.arena.alloc(len * SLOTS[s]!, 64);
    if (src === 0 || fifo === 0) {
      // The plan sized the arena for every buffer: NULL here is a bug, not a kernel outcome.
      throw new DmasimError(
        'DMASIM_INTERNAL',
        `config-race: client ${c}: the arena has no room for its stream ${s} buffers ` +
          `(${machine.arena.used()} of ${machine.arena.size} bytes used): the plan's arenaBytes is too small`,
      );
    }
    machine.arena.bytes.fill(streamByte(c, s), src, src + len);
    st.set('src', src);
    st.set('fifo', fifo);
    st.store('idle', 1);
  }
  if (c === 0) {
    const got = dmaRequestChan('dma0chan0');
    if (isErr(got)) throw new Error(`config-race: dma_request_chan(dma0chan0) failed: ${got}`);
    info.store('ready', 1);
    wakeUpVar(info.words, info.i('ready'));
  } else {
    waitVarEventTimeout(info.words, info.i('ready'), WaitOp.NE, 0, Infinity);
  }
  const chan = dmaChans()[0]!;
  submitNext(chan, c, 1);
  const p0 = streamOf(c, 0);
  const wq = p0.waitQueue('wq');
  const slots = SLOTS[0];
  // Completions come in submission order (one channel), so the n-th completion is the
  // n-th transfer, in slot n % slots: verify it, then the slot may be used again.
  let verified = 0;
  const stopped = (): boolean =>
    cpu.shouldStop() || (p.iterations > 0 && p0.get('submitted') >= p.iterations);
  while (!stopped() || verified < p0.get('submitted')) {
    while (!stopped() && p0.get('submitted') - verified < slots) {
      if (!submitNext(chan, c, 0)) {
        msleep(1);
        break;
      }
    }
    if (verified === p0.get('submitted')) continue;
    if (!wq.waitEventTimeout(() => p0.load('done') > verified, 2000)) {
      printk(`config-race: client ${c}: transfer timed out`);
      break;
    }
    verify(c, 0, verified % slots);
    unmap(chan, p0);
    verified++;
  }
  const p1 = streamOf(c, 1);
  p1.store('stop', 1);
  p1.waitQueue('wq').waitEventTimeout(() => p1.load('idle') !== 0, 2000);
  info.add('finished', 1);
  info.waitQueue('finishedWq').wakeUp();
  if (c === 0) {
    info.waitQueue('finishedWq').waitEventTimeout(() => info.load('finished') >= p.clients, 5000);
    dmaengineTerminateSync(chan);
    dmaReleaseChannel(chan);
  }
  const per = (f: 'done' | 'errors' | 'prepFailures'): number[] =>
    Array.from({ length: STREAMS }, (_, s) => streamOf(c, s).load(f));
  return {
    client: c,
    transfers: per('done'),
    errors: per('errors'),
    prepFailures: per('prepFailures'),
  };
}
