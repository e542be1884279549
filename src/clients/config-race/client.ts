import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { WaitQueueHead, msleep, waitVarEventTimeout, wakeUpVar } from '../../kernel/waitqueue.js';
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
import { dmaMapSingle } from '../../dmaengine/mapping.js';
import { DmaCtrlFlags, DmaTransferDirection, type DmaSlaveConfig } from '../../dmaengine/types.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { DmasimError } from '../../errors.js';
import { INFO, SLOTS, STREAM, STREAMS, streamBase, streamByte } from './shared.js';

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

/**
 * Set by every client CPU before its first transfer, all to the same values. Callbacks run
 * on the CPU the channel interrupts (cpu0), which is a client too, so they see them.
 */
let api: ConfigRaceApi = 'safe';
let len = 0;

function config(c: number, s: number, slot: number): DmaSlaveConfig {
  const w = currentActor().machine.client;
  return {
    direction: DmaTransferDirection.DMA_MEM_TO_DEV,
    srcAddr: 0,
    dstAddr: w[streamBase(c, s) + STREAM.FIFO]! + slot * len,
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
  const w = currentActor().machine.client;
  const b = streamBase(c, s);
  const src = w[b + STREAM.SRC]!;
  const cfg = config(c, s, w[b + STREAM.SUBMITTED]! % SLOTS[s]!);
  let tx;
  if (api === 'safe') {
    // Map first, then config + prep in one safe call (nvmet pci-epf after the series).
    const dma = dmaMapSingle(src, len);
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
    const dma = dmaMapSingle(src, len);
    tx = dmaenginePrepSlaveSingle(chan, dma, len, DmaTransferDirection.DMA_MEM_TO_DEV, FLAGS);
  }
  if (!tx) {
    Atomics.add(w, b + STREAM.PREP_FAILURES, 1);
    return false;
  }
  tx.callback = configRaceCallback;
  tx.callbackParam = c * STREAMS + s;
  Atomics.store(w, b + STREAM.IDLE, 0);
  w[b + STREAM.SUBMITTED]!++;
  dmaengineSubmit(tx);
  dmaAsyncIssuePending(chan);
  return true;
}

/** Checks that FIFO slot `slot` of stream (c, s) holds its own bytes only, then clears it. */
function verify(c: number, s: number, slot: number): void {
  const { machine } = currentActor();
  const w = machine.client;
  const b = streamBase(c, s);
  const bytes = machine.arena.bytes;
  const fifo = w[b + STREAM.FIFO]! + slot * len;
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
    Atomics.add(w, b + STREAM.ERRORS, 1);
    VERIFY_EVENTS.trace['verify.error'](0, fifo + at, want, bytes[fifo + at]!, errors);
  }
  bytes.fill(0, fifo, fifo + len);
}

/**
 * The completion callback (softirq, or hardirq with callbackContext=hardirq, on the CPU
 * the channel interrupts): counts, verifies a chained stream's FIFO and, like nvmet
 * pci-epf, prepares that stream's next transfer right here.
 */
export const configRaceCallback = defineCallback('config_race_callback', (param: number) => {
  const { machine } = currentActor();
  const w = machine.client;
  const c = Math.floor(param / STREAMS);
  const s = param % STREAMS;
  const b = streamBase(c, s);
  if (s === 1) {
    // In order on one channel: this is the stream's DONE-th transfer, in that slot.
    verify(c, s, w[b + STREAM.DONE]! % SLOTS[1]);
    if (Atomics.load(w, b + STREAM.STOP) === 0) submitNext(dmaChans()[0]!, c, s);
    else if (w[b + STREAM.SUBMITTED]! === w[b + STREAM.DONE]! + 1)
      Atomics.store(w, b + STREAM.IDLE, 1);
  }
  Atomics.add(w, b + STREAM.DONE, 1);
  new WaitQueueHead(machine, w, b + STREAM.WQ).wakeUp();
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
  const w = machine.client;
  api = p.api;
  len = p.len;
  for (let s = 0; s < STREAMS; s++) {
    const b = streamBase(c, s);
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
    w[b + STREAM.SRC] = src;
    w[b + STREAM.FIFO] = fifo;
    Atomics.store(w, b + STREAM.IDLE, 1);
  }
  if (c === 0) {
    const got = dmaRequestChan('dma0chan0');
    if (isErr(got)) throw new Error(`config-race: dma_request_chan(dma0chan0) failed: ${got}`);
    Atomics.store(w, INFO.READY, 1);
    wakeUpVar(w, INFO.READY);
  } else {
    waitVarEventTimeout(w, INFO.READY, WaitOp.NE, 0, Infinity);
  }
  const chan = dmaChans()[0]!;
  submitNext(chan, c, 1);
  const p0 = streamBase(c, 0);
  const wq = new WaitQueueHead(machine, w, p0 + STREAM.WQ);
  const slots = SLOTS[0];
  // Completions come in submission order (one channel), so the n-th completion is the
  // n-th transfer, in slot n % slots: verify it, then the slot may be used again.
  let verified = 0;
  const stopped = (): boolean =>
    cpu.shouldStop() || (p.iterations > 0 && w[p0 + STREAM.SUBMITTED]! >= p.iterations);
  while (!stopped() || verified < w[p0 + STREAM.SUBMITTED]!) {
    while (!stopped() && w[p0 + STREAM.SUBMITTED]! - verified < slots) {
      if (!submitNext(chan, c, 0)) {
        msleep(1);
        break;
      }
    }
    if (verified === w[p0 + STREAM.SUBMITTED]!) continue;
    if (!wq.waitEventTimeout(() => Atomics.load(w, p0 + STREAM.DONE) > verified, 2000)) {
      printk(`config-race: client ${c}: transfer timed out`);
      break;
    }
    verify(c, 0, verified % slots);
    verified++;
  }
  const p1 = streamBase(c, 1);
  Atomics.store(w, p1 + STREAM.STOP, 1);
  new WaitQueueHead(machine, w, p1 + STREAM.WQ).waitEventTimeout(
    () => Atomics.load(w, p1 + STREAM.IDLE) !== 0,
    2000,
  );
  Atomics.add(w, INFO.FINISHED, 1);
  new WaitQueueHead(machine, w, INFO.FINISHED_WQ).wakeUp();
  if (c === 0) {
    new WaitQueueHead(machine, w, INFO.FINISHED_WQ).waitEventTimeout(
      () => Atomics.load(w, INFO.FINISHED) >= p.clients,
      5000,
    );
    dmaengineTerminateSync(chan);
    dmaReleaseChannel(chan);
  }
  const per = (f: number): number[] =>
    Array.from({ length: STREAMS }, (_, s) => Atomics.load(w, streamBase(c, s) + f));
  return {
    client: c,
    transfers: per(STREAM.DONE),
    errors: per(STREAM.ERRORS),
    prepFailures: per(STREAM.PREP_FAILURES),
  };
}
