import { currentActor, printk } from '../../kernel/current.js';
import { isErr } from '../../kernel/errno.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import { dmaReleaseChannel, dmaRequestChan } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaenginePrepDmaMemcpy,
  dmaengineSubmit,
} from '../../dmaengine/consumer.js';
import { DmaCtrlFlags } from '../../dmaengine/types.js';
import { DmaDataDirection } from '../../dma-mapping/direction.js';
import { dmaMapSingle, dmaUnmapSingle, dmaengineGetDmaDevice } from '../../dma-mapping/mapping.js';
import { dmaDebugCpuAccess } from '../../dma-mapping/ownership.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';
import { stateOf } from '../../kernel/state.js';
import { DmasimError } from '../../errors.js';

/** Per-CPU shared words: completions counted by the callback, and its wait queue. */
export const FENCE_CHAIN = declareState(
  'fence-chain',
  defineStruct('fence_chain', { done: 'i32', wq: 'waitqueue' }),
  'cpu',
);

/** What a fence-chain client runs with. */
export interface FenceChainParams {
  fence: boolean;
  len: number;
  iterations: number;
}

/** What one client saw. */
export interface FenceChainResult {
  chan: string;
  chains: number;
  /** Chains whose last buffer did not end with the first one's bytes. */
  stale: number;
}

export const fenceChainCallback = defineCallback('fence_chain_callback', (cpu: number) => {
  const st = stateOf(currentActor().machine, FENCE_CHAIN).at(cpu);
  st.add('done', 1);
  st.waitQueue('wq').wakeUp();
});

const FLAGS = DmaCtrlFlags.DMA_CTRL_ACK;

/**
 * A client that copies A->B, then B->C, as two descriptors issued together on one channel
 * (a bounce through an intermediate buffer), each round with new bytes in A: the second copy
 * depends on the first, which says so with DMA_PREP_FENCE when `fence`. Buffers are mapped
 * for the controller (A to the device, B both ways, C from it) and unmapped after the
 * completion, so dma-debug watches the client too.
 */
export function fenceChainClient(cpu: number, p: FenceChainParams): FenceChainResult {
  const { machine } = currentActor();
  const name = machine.chanName(cpu);
  const got = dmaRequestChan(name);
  if (isErr(got)) throw new Error(`fence-chain: dma_request_chan(${name}) failed: ${got}`);
  const chan = got;
  const dev = dmaengineGetDmaDevice(chan);
  const st = stateOf(machine, FENCE_CHAIN).at(cpu);
  const [a, b, c] = [0, 1, 2].map(() => machine.arena.alloc(p.len, 64));
  if (!a || !b || !c) {
    throw new DmasimError('DMASIM_INTERNAL', 'fence-chain: the plan sized the arena too small');
  }
  const bytes = machine.arena.bytes;
  const TO = DmaDataDirection.DMA_TO_DEVICE;
  const BI = DmaDataDirection.DMA_BIDIRECTIONAL;
  const FROM = DmaDataDirection.DMA_FROM_DEVICE;
  let chains = 0;
  let stale = 0;
  for (let n = 0; n < p.iterations; n++) {
    const seed = (n * 31 + cpu * 7 + 1) & 0xff;
    for (let i = 0; i < p.len; i++) bytes[a + i] = (seed + i) & 0xff;
    const da = dmaMapSingle(dev, a, p.len, TO);
    const db = dmaMapSingle(dev, b, p.len, BI);
    const dc = dmaMapSingle(dev, c, p.len, FROM);
    const first = dmaenginePrepDmaMemcpy(
      chan,
      db,
      da,
      p.len,
      FLAGS | (p.fence ? DmaCtrlFlags.DMA_PREP_FENCE : 0),
    );
    const second = dmaenginePrepDmaMemcpy(
      chan,
      dc,
      db,
      p.len,
      FLAGS | DmaCtrlFlags.DMA_PREP_INTERRUPT,
    );
    if (!first || !second) {
      printk(`fence-chain: cpu${cpu}: prep failed`);
      break;
    }
    second.callback = fenceChainCallback;
    second.callbackParam = cpu;
    dmaengineSubmit(first);
    dmaengineSubmit(second);
    dmaAsyncIssuePending(chan);
    if (!st.waitQueue('wq').waitEventTimeout(() => st.load('done') > n, 5000)) {
      printk(`fence-chain: cpu${cpu}: chain ${n} timed out`);
      break;
    }
    dmaUnmapSingle(dev, da, p.len, TO);
    dmaUnmapSingle(dev, db, p.len, BI);
    dmaUnmapSingle(dev, dc, p.len, FROM);
    dmaDebugCpuAccess(c, p.len, false);
    let errors = 0;
    let at = -1;
    for (let i = 0; i < p.len; i++) {
      if (bytes[c + i] !== bytes[a + i]) {
        if (at < 0) at = i;
        errors++;
      }
    }
    if (errors > 0) {
      stale++;
      VERIFY_EVENTS.trace['verify.error'](
        chan.index,
        c + at,
        bytes[a + at]!,
        bytes[c + at]!,
        errors,
      );
    }
    chains++;
  }
  dmaReleaseChannel(chan);
  return { chan: chan.name, chains, stale };
}
