import { currentActor, printk, thisCpu } from '../../kernel/current.js';
import { isErr } from '../../kernel/errno.js';
import { Gfp, kmalloc } from '../../kernel/slab.js';
import { defineCallback } from '../../dmaengine/callbacks.js';
import { dmaReleaseChannel, dmaRequestChan } from '../../dmaengine/channel-request.js';
import {
  dmaAsyncIssuePending,
  dmaenginePrepSlaveSg,
  dmaengineSlaveConfig,
  dmaengineSubmit,
} from '../../dmaengine/consumer.js';
import { dmaengineDescAttachMetadata } from '../../dmaengine/metadata.js';
import { dmaengineTerminateSync } from '../../dmaengine/terminate.js';
import { DmaCtrlFlags, DmaTransferDirection } from '../../dmaengine/types.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { defineStruct } from '../../shm/struct.js';
import { declareState } from '../../shm/state-layout.js';
import { stateOf } from '../../kernel/state.js';
import { findPeripheral } from '../../platform/peripherals.js';
import { reportViolation } from '../../kernel/report/user-violation.js';
import { Point } from '../../sched/labels.js';
import { WaitFlag, WaitOp } from '../../sched/wait-spec.js';
import {
  BAM_CE_SIZE,
  BAM_DESC_METADATA_SIZE,
  BamCommandType,
  bamDescMetadata,
  bamPrepCeLe32,
} from '../../providers/bam/qcom-bam-dma.js';
import { PIPE } from '../../providers/bam/regs.js';
import { bamTotals, pipeLockFigures } from '../../providers/bam/lock-figures.js';
import { QCE_REGS, qceDigest } from '../../peripherals/qce/regs.js';
import { VERIFY_EVENTS } from '../verify/events.js';
import { DmasimError } from '../../errors.js';

/** Per EE: requests its callback finished, and the wait queue its process sleeps on. */
export const QCE_EE = declareState(
  'qce-bam.ee',
  defineStruct('qce_ee', { done: 'i32', wq: 'waitqueue' }),
  'cpu',
);

/** The machine's: EEs finished, so that cpu0 reads the BAM's totals after the last one. */
export const QCE_RUN = declareState(
  'qce-bam.run',
  defineStruct('qce_run', { finished: 'i32', wq: 'waitqueue' }),
  'machine',
);

/** Names of the execution environments, in EE order. */
export const EE_NAMES = ['linux', 'tz', 'modem', 'adsp', 'cdsp', 'wlan', 'ee6', 'ee7'];

/** What one EE's client runs with. */
export interface QceBamParams {
  ees: number;
  requests: number;
  /** Bytes of each request's data. */
  len: number;
  /** DMA_PREP_FENCE (NWD) on the data descriptor, as the series' QCE patches set it. */
  fence: boolean;
  /** The crypto engine's name in the plan. */
  qce: string;
}

/** One EE's figures: what it sent and how its pipe waited for and held the lock. */
export interface QceEeResult {
  ee: number;
  name: string;
  pipe: string;
  requests: number;
  /** Requests that failed before they were submitted (e.g. attach refused). */
  failed: number;
  /** Transfers (descriptors) of finished requests: command, data and result read each. */
  transfers: number;
  /** Data bytes the BAM forwarded from this EE's pipe. */
  bytes: number;
  /** Requests whose digest was not the one the data and key give. */
  mismatches: number;
  locks: number;
  lockWaitMsP50: number;
  lockWaitMsP99: number;
  lockHoldMsP50: number;
  lockHoldMsP99: number;
  lockWaitMs: number;
  lockHoldMs: number;
  /** cpu0 only: the BAM's own totals, read after every EE finished. */
  totals?: ReturnType<typeof bamTotals>;
}

/** The request's completion: the result read's callback wakes the EE's process. */
export const qceReqDone = defineCallback('qce_req_done', (ee: number) => {
  const st = stateOf(currentActor().machine, QCE_EE).at(ee);
  st.add('done', 1);
  st.waitQueue('wq').wakeUp();
});

const ACK = DmaCtrlFlags.DMA_CTRL_ACK;
const CMD = DmaCtrlFlags.DMA_PREP_CMD;
const TO_DEV = DmaTransferDirection.DMA_MEM_TO_DEV;

/** Allocates `n` bytes (kmalloc) or stops the run: the plan sized the arena. */
function alloc(n: number): number {
  const at = kmalloc(n, Gfp.GFP_KERNEL);
  if (!at) throw new DmasimError('DMASIM_INTERNAL', 'qce-bam: the plan sized the arena too small');
  return at;
}

/**
 * One execution environment's crypto driver, as the series' QCE patches drive the engine:
 * every register access is a BAM command element. Per request: a command descriptor
 * writing CFG, KEY, SEG_SIZE and GO (with the pipe-lock metadata attached), the data
 * descriptor (NWD through DMA_PREP_FENCE unless `fence` is off), then a command descriptor
 * reading RESULT into memory, whose callback completes the request. The BAM driver brackets
 * each sequence with LOCK and UNLOCK. The digest is checked against the data and key.
 */
export function qceBamClient(ee: number, p: QceBamParams): QceEeResult {
  const { machine } = currentActor();
  const name = machine.chanName(ee);
  const got = dmaRequestChan(name);
  if (isErr(got)) throw new Error(`qce-bam: dma_request_chan(${name}) failed: ${got}`);
  const chan = got;
  const qce = findPeripheral(p.qce);
  if (!qce) throw new DmasimError('DMASIM_INTERNAL', `qce-bam: no peripheral '${p.qce}'`);
  const reg = (r: number): number => (qce.regs + r) * 4;
  dmaengineSlaveConfig(chan, {
    direction: TO_DEV,
    srcAddr: 0,
    dstAddr: qce.dataAddr,
    srcAddrWidth: 4,
    dstAddrWidth: 4,
    srcMaxburst: 16,
    dstMaxburst: 16,
  });
  const a = machine.arena.words;
  const bytes = machine.arena.bytes;
  const data = alloc(p.len);
  const cmds = alloc(4 * BAM_CE_SIZE);
  const readCe = alloc(BAM_CE_SIZE);
  const result = alloc(4);
  const meta = alloc(BAM_DESC_METADATA_SIZE);
  bamDescMetadata(a, meta, reg(QCE_REGS.VERSION), TO_DEV);
  const st = stateOf(machine, QCE_EE).at(ee);
  const out: QceEeResult = {
    ee,
    name: EE_NAMES[ee] ?? `ee${ee}`,
    pipe: chan.name,
    requests: 0,
    failed: 0,
    transfers: 0,
    bytes: 0,
    mismatches: 0,
    locks: 0,
    lockWaitMsP50: 0,
    lockWaitMsP99: 0,
    lockHoldMsP50: 0,
    lockHoldMsP99: 0,
    lockWaitMs: 0,
    lockHoldMs: 0,
  };
  for (let n = 0; n < p.requests; n++) {
    const key = (Math.imul(ee + 1, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca6b)) | 0;
    for (let i = 0; i < p.len; i++) bytes[data + i] = (i * 7 + n * 13 + ee * 29) & 0xff;
    bamPrepCeLe32(a, cmds, reg(QCE_REGS.CFG), BamCommandType.BAM_WRITE_COMMAND, 1);
    bamPrepCeLe32(a, cmds + 16, reg(QCE_REGS.KEY), BamCommandType.BAM_WRITE_COMMAND, key);
    bamPrepCeLe32(a, cmds + 32, reg(QCE_REGS.SEG_SIZE), BamCommandType.BAM_WRITE_COMMAND, p.len);
    bamPrepCeLe32(a, cmds + 48, reg(QCE_REGS.GO), BamCommandType.BAM_WRITE_COMMAND, 1);
    bamPrepCeLe32(a, readCe, reg(QCE_REGS.RESULT), BamCommandType.BAM_READ_COMMAND, result);
    a[result >> 2] = 0;
    const cmd = dmaenginePrepSlaveSg(
      chan,
      [{ dmaAddress: cmds, length: 4 * BAM_CE_SIZE }],
      TO_DEV,
      CMD | ACK,
    );
    const attached = cmd ? dmaengineDescAttachMetadata(cmd, meta, BAM_DESC_METADATA_SIZE) : 0;
    const dat = dmaenginePrepSlaveSg(
      chan,
      [{ dmaAddress: data, length: p.len }],
      TO_DEV,
      ACK | (p.fence ? DmaCtrlFlags.DMA_PREP_FENCE : 0),
    );
    const rd = dmaenginePrepSlaveSg(
      chan,
      [{ dmaAddress: readCe, length: BAM_CE_SIZE }],
      TO_DEV,
      CMD | ACK | DmaCtrlFlags.DMA_PREP_INTERRUPT,
    );
    if (!cmd || !dat || !rd || attached < 0) {
      out.failed++;
      reportViolation('request-failed', {
        message:
          `qce: ${out.name}: request ${n} failed: ` +
          (attached < 0
            ? `dmaengine_desc_attach_metadata() returned ${attached}`
            : 'dmaengine_prep_slave_sg() returned NULL'),
        ee,
        errno: attached,
      });
      // The prepared descriptors are freed with the channel's others.
      dmaengineTerminateSync(chan);
      continue;
    }
    rd.callback = qceReqDone;
    rd.callbackParam = ee;
    // Before the issue: the callback may run at any point after it, even before the load.
    const want = st.load('done') + 1;
    dmaengineSubmit(cmd);
    dmaengineSubmit(dat);
    dmaengineSubmit(rd);
    dmaAsyncIssuePending(chan);
    out.requests++;
    if (!st.waitQueue('wq').waitEventTimeout(() => st.load('done') >= want, 5000)) {
      printk(`qce: ${out.name}: request ${n} timed out`);
      break;
    }
    out.transfers += 3;
    const expected = qceDigest(bytes, data, p.len, key);
    const got2 = a[result >> 2]!;
    if (got2 !== expected) {
      out.mismatches++;
      VERIFY_EVENTS.trace['verify.error'](chan.index, result, expected & 0xff, got2 & 0xff, 4);
    }
  }
  waitPipeIdle(chan);
  Object.assign(out, figures(chan));
  const run = stateOf(machine, QCE_RUN).at(0);
  run.add('finished', 1);
  run.waitQueue('wq').wakeUp();
  if (ee === 0) {
    run.waitQueue('wq').waitEventTimeout(() => run.load('finished') >= p.ees, 10000);
    out.totals = bamTotals(a, machine.spec.devices[0]!.regs);
  }
  dmaReleaseChannel(chan);
  return out;
}

/** Waits until the pipe's hardware has processed everything in its FIFO (the last UNLOCK too). */
function waitPipeIdle(chan: DmaChan): void {
  const a = chan.hwWords;
  const tail = Atomics.load(a, chan.hw + PIPE.P_EVNT_REG);
  thisCpu().waitWord(
    Point.poll,
    a,
    chan.hw + PIPE.P_SW_OFSTS,
    WaitOp.EQ,
    tail,
    5000,
    WaitFlag.INTERRUPTIBLE | WaitFlag.POLLED,
  );
}

/** The pipe's lock figures and bytes, from the BAM's counters. */
function figures(chan: DmaChan): Partial<QceEeResult> {
  const f = pipeLockFigures(chan.hwWords, chan.hw);
  return {
    bytes: f.bytes,
    locks: f.locks,
    lockWaitMsP50: f.waitMsP50,
    lockWaitMsP99: f.waitMsP99,
    lockHoldMsP50: f.holdMsP50,
    lockHoldMsP99: f.holdMsP99,
    lockWaitMs: f.waitMsTotal,
    lockHoldMs: f.holdMsTotal,
  };
}
