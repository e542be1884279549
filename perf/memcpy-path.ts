import { cDriverScenario } from '../src/scenarios/c-driver.js';
import type { Scenario } from '../src/scenarios/scenario.js';
import { currentActor } from '../src/kernel/current.js';
import { dmaRequestChanByMask } from '../src/dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaenginePrepDmaMemcpy,
  dmaengineSubmit,
} from '../src/dmaengine/consumer.js';
import { DmaCtrlFlags, DmaTransactionType, dmaCapSet } from '../src/dmaengine/types.js';
import { defineCallback } from '../src/dmaengine/callbacks.js';
import { kfree, kmalloc } from '../src/kernel/slab.js';
import { stateOf } from '../src/kernel/state.js';
import { spinLockBh, spinUnlockBh } from '../src/kernel/spinlock.js';
import { declareState } from '../src/shm/state-layout.js';
import { defineStruct } from '../src/shm/struct.js';
import { reportViolation } from '../src/kernel/report/user-violation.js';
import { DmasimError } from '../src/errors.js';

/** Per CPU: its completion (done count, wait queue); one lock and counter for all. */
const PATH = declareState(
  'bench.memcpy-path',
  defineStruct('memcpy_path', { done: 'i32', wq: 'waitqueue' }),
  'cpu',
);
const STATS = declareState(
  'bench.memcpy-path-stats',
  defineStruct('memcpy_path_stats', { lock: 'spinlock', transfers: 'i32' }),
  'machine',
);

const xferDone = defineCallback('bench_memcpy_path_done', (cpu) => {
  const x = stateOf(currentActor().machine, PATH).at(cpu);
  x.add('done', 1);
  x.waitQueue('wq').wakeUp();
});

const FLAGS = DmaCtrlFlags.DMA_PREP_INTERRUPT | DmaCtrlFlags.DMA_CTRL_ACK;

/**
 * perf/c/memcpy-path.c's path in TypeScript, on the same machine (the c-driver plan):
 * kmalloc'd buffers, a 64 B memcpy per iteration waited for with its callback, compared,
 * counted under a lock. The C driver's callback path against this one is the bench's ratio.
 */
export const scenario: Scenario = {
  ...cDriverScenario,
  name: 'memcpy-path-ts',
  module: import.meta.url,
  load: undefined,
  cpuProgram(cpu, opts) {
    const { machine } = currentActor();
    const chan = dmaRequestChanByMask(dmaCapSet(DmaTransactionType.DMA_MEMCPY));
    if (typeof chan === 'number') throw new DmasimError('DMASIM_INTERNAL', `no channel: ${chan}`);
    const n = opts.iterations || 100;
    const len = 64;
    const src = kmalloc(len);
    const dst = kmalloc(len);
    const bytes = machine.arena.bytes;
    const x = stateOf(machine, PATH).at(cpu);
    const stats = stateOf(machine, STATS).at(0);
    const lock = stats.spinlock('lock');
    for (let i = 0; i < n; i++) {
      bytes.fill((i + cpu) & 0xff, src, src + len);
      const tx = dmaenginePrepDmaMemcpy(chan, dst, src, len, FLAGS);
      if (!tx) throw new DmasimError('DMASIM_INTERNAL', 'prep failed');
      x.store('done', 0);
      tx.callback = xferDone;
      tx.callbackParam = cpu;
      dmaengineSubmit(tx);
      dmaAsyncIssuePending(chan);
      if (!x.waitQueue('wq').waitEventTimeout(() => x.load('done') !== 0, 10_000)) return -110;
      for (let k = 0; k < len; k++) {
        if (bytes[src + k] !== bytes[dst + k]) {
          reportViolation('copy-mismatch', { message: `cpu${cpu}: copy ${i} differs` });
          break;
        }
      }
      spinLockBh(lock);
      stats.set('transfers', stats.get('transfers') + 1);
      spinUnlockBh(lock);
    }
    kfree(src);
    kfree(dst);
    return { ret: n };
  },
  plan(opts, params, chans) {
    const plan = cDriverScenario.plan(opts, params, chans);
    return { ...plan, state: [...(plan.state ?? []), PATH, STATS] };
  },
};
