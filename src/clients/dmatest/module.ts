import { currentActor, printk } from '../../kernel/current.js';
import { waitVarEventTimeout, wakeUpVar } from '../../kernel/waitqueue.js';
import { WaitOp } from '../../sched/wait-spec.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { dmaChans } from '../../dmaengine/device-list.js';
import { dmaReleaseChannel, dmaRequestChannel } from '../../dmaengine/channel-request.js';
import { dmaengineTerminateSync } from '../../dmaengine/terminate.js';
import { DmaTransactionType, dmaCapSet } from '../../dmaengine/types.js';
import type { DmatestParams } from './params.js';
import { INFO, THREADS } from './shared.js';
import { stateOf } from '../../kernel/state.js';
import { dmatestFunc, type DmatestSummary } from './thread.js';
import { dmatestThreadName, taskComm } from './format.js';

/** dmatest_match_channel() && dmatest_match_device(). */
export function dmatestFilter(
  chanName: string,
  deviceName: string,
  params: DmatestParams,
): boolean {
  if (params.channel !== '' && chanName !== params.channel) return false;
  return params.device === '' || deviceName === params.device;
}

/**
 * Module init (run=1): request_channels(DMA_MEMCPY) until none is left or max_channels is
 * reached, add threads_per_chan threads to each, and let them start.
 */
function dmatestInit(params: DmatestParams): void {
  const { machine } = currentActor();
  const info = stateOf(machine, INFO).at(0);
  const threads = stateOf(machine, THREADS);
  const mask = dmaCapSet(DmaTransactionType.DMA_MEMCPY);
  let nrChannels = 0;
  let nrThreads = 0;
  for (;;) {
    const chan = dmaRequestChannel(mask, (c: DmaChan) =>
      dmatestFilter(c.name, c.device.name, params),
    );
    if (!chan) break;
    for (let j = 0; j < params.threadsPerChan; j++) {
      threads.at(nrThreads++).store('chan', chan.index);
    }
    nrChannels++;
    printk(`dmatest: Added ${params.threadsPerChan} threads using ${chan.name}`);
    if (params.maxChannels && nrChannels >= params.maxChannels) break;
  }
  if (nrChannels === 0) printk('dmatest: Could not start test, no channels configured');
  info.store('nrChannels', nrChannels);
  info.store('nrThreads', nrThreads);
  // run last: the threads read nrThreads and their chan after they see it.
  info.store('run', 1);
  wakeUpVar(info.words, info.i('run'));
}

/** Module exit: stop, terminate and release every channel (dmatest_cleanup_channel()). */
function dmatestExit(): void {
  const { machine } = currentActor();
  const info = stateOf(machine, INFO).at(0);
  const threads = stateOf(machine, THREADS);
  const nrThreads = info.load('nrThreads');
  waitVarEventTimeout(info.words, info.i('threadsDone'), WaitOp.GE, nrThreads, Infinity);
  const released = new Set<number>();
  for (let t = 0; t < nrThreads; t++) {
    const c = threads.at(t).load('chan');
    if (released.has(c)) continue;
    released.add(c);
    const chan = dmaChans()[c]!;
    dmaengineTerminateSync(chan);
    dmaReleaseChannel(chan);
  }
  info.store('exited', 1);
}

/**
 * What CPU `cpuId` runs for the dmatest scenario: CPU 0 also plays the module (init before
 * its thread, exit after every thread); thread t runs on CPU t.
 * @returns the thread's summary, or null for a CPU without a thread
 */
export function dmatestCpuProgram(cpuId: number, params: DmatestParams): DmatestSummary | null {
  const { machine } = currentActor();
  const info = stateOf(machine, INFO).at(0);
  if (cpuId === 0) dmatestInit(params);
  else waitVarEventTimeout(info.words, info.i('run'), WaitOp.NE, 0, Infinity);
  let summary: DmatestSummary | null = null;
  if (cpuId < info.load('nrThreads')) {
    const chan = dmaChans()[stateOf(machine, THREADS).at(cpuId).load('chan')]!;
    const j = cpuId % params.threadsPerChan;
    if (j === 0 && cpuId + params.threadsPerChan <= info.load('nrThreads')) {
      printk(`dmatest: Started ${params.threadsPerChan} threads using ${chan.name}`);
    }
    summary = dmatestFunc(cpuId, chan, taskComm(dmatestThreadName(chan.name, 'copy', j)), params);
  }
  if (cpuId === 0) dmatestExit();
  return summary;
}
