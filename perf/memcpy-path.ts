import { cDriverScenario } from '../src/scenarios/c-driver.js';
import type { Scenario } from '../src/scenarios/scenario.js';
import type { RunOptions } from '../src/scenarios/run-options.js';
import { threadCpuNs } from './timed-stream.js';
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
 * perf/c/memcpy-path.c's path in TypeScript: kmalloc'd buffers, a 64 B memcpy per
 * iteration waited for with its callback, compared, counted under a lock.
 */
function tsPath(cpu: number, opts: RunOptions): { ret: number } {
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
    if (!x.waitQueue('wq').waitEventTimeout(() => x.load('done') !== 0, 10_000))
      return { ret: -110 };
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
}

/**
 * The bench's scenario: the c-driver scenario's machine, running perf/c/memcpy-path.c
 * (`--lang c`, its `--source`) or the same path in TypeScript (`--lang ts`), each CPU's
 * program timed on its own thread's CPU clock (in a controlled run a thread that waits for
 * its turn sleeps: the time is the path's own work, the kernel's and the scheduler's).
 */
export const scenario: Scenario = {
  ...cDriverScenario,
  name: 'memcpy-path',
  module: import.meta.url,
  params: [
    ...cDriverScenario.params,
    {
      key: 'lang',
      flag: 'lang',
      kind: 'choice',
      choices: ['c', 'ts'],
      default: 'c',
      help: 'the path in C or in TypeScript',
    },
  ],
  load(params, opts, machine) {
    return params.lang === 'c' ? cDriverScenario.load!(params, opts, machine) : Promise.resolve();
  },
  cpuProgram(cpu, opts, params) {
    const t0 = threadCpuNs();
    const r =
      params.lang === 'c'
        ? (cDriverScenario.cpuProgram(cpu, opts, params) as { ret: number })
        : tsPath(cpu, opts);
    return { ...r, cpuNs: threadCpuNs() - t0 };
  },
  plan(opts, params, chans) {
    const plan = cDriverScenario.plan(opts, params, chans);
    return { ...plan, state: [...(plan.state ?? []), PATH, STATS] };
  },
};
