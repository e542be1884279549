import { DESC } from '../../shm/descriptor-pool.js';
import { ARENA_RESERVED } from '../../shm/arena.js';
import { STAT } from '../../shm/control-block.js';
import type { DmaPort } from '../../platform/dma-port.js';
import { Point } from '../../sched/labels.js';
import type { Scheduler } from '../../sched/scheduler.js';
import { DmaengineTxResult } from '../../dmaengine/types.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import { EventCode } from '../../events/kinds.js';
import { CTX_HW, type EventEmitter } from '../../events/emitter.js';
import { VREG } from './hw-regs.js';
import { VDESC } from './vdesc.js';
import { kasanCheckDma } from '../../kernel/kasan.js';

/** What a paced transfer needs of its engine. */
export interface PortEngine {
  readonly c: Int32Array;
  readonly d: Int32Array;
  readonly bytes: Uint8Array;
  readonly sched: Scheduler;
  readonly emitter: EventEmitter;
  readonly stats: Float64Array;
  readonly statBase: number;
  /** Bytes per burst: what one DMA request moves at most. */
  readonly burst: number;
  /** Check the memory side against KASAN's shadow. */
  readonly kasan: boolean;
}

/**
 * Moves a slave descriptor through a peripheral's FIFO, burst by burst, each when the
 * device requests it (flow control by the peripheral, as a real DMA request line does).
 * When the request is not there, the transfer stops where it is (HW_PROGRESS keeps the
 * bytes moved) and the engine serves its other channels; it is called again, `fresh` false,
 * once the request comes.
 * @returns 0 once the descriptor is done, else the bytes its next burst waits for
 */
export function portTransfer(
  e: PortEngine,
  chan: number,
  cb: number,
  desc: number,
  port: DmaPort,
  fresh: boolean,
): number {
  const { c, d, bytes } = e;
  const db = descBase(desc);
  const len = d[db + DESC.LEN]!;
  if (fresh && e.emitter.on(EventCode['engine.start']))
    e.emitter.emit(EventCode['engine.start'], CTX_HW, chan, desc, len, d[db + DESC.GEN]);
  let moved = Atomics.load(c, cb + VREG.HW_PROGRESS);
  let result: number = DmaengineTxResult.DMA_TRANS_NOERROR;
  const segs = d[db + VDESC.SEG_COUNT]!;
  let segStart = 0;
  for (let s = 0; s < segs && result === DmaengineTxResult.DMA_TRANS_NOERROR; s++) {
    const o = db + VDESC.SEGMENTS + s * 3;
    const n = d[o + 2]!;
    const segEnd = segStart + n;
    // The memory side of the segment; the device side is the FIFO, whatever its address.
    const mem = port.rx ? d[o + 1]! : d[o]!;
    if (mem < ARENA_RESERVED || mem + n > bytes.length) {
      result = port.rx
        ? DmaengineTxResult.DMA_TRANS_WRITE_FAILED
        : DmaengineTxResult.DMA_TRANS_READ_FAILED;
      break;
    }
    // The memory side still to move: the engine writes it (rx) or reads it (tx).
    if (e.kasan && moved < segEnd) {
      const from = mem + Math.max(0, moved - segStart);
      kasanCheckDma(from, mem + n - from, port.rx, 'vdma_engine_transfer');
    }
    while (moved < segEnd) {
      const want = Math.min(e.burst, segEnd - moved);
      // Paused: stop between bursts as if the device had not asked (the engine parks).
      if (Atomics.load(c, cb + VREG.HW_PAUSE) !== 0) return want;
      if (!port.dmaRequest(want)) return want;
      const k = Math.min(want, port.rx ? port.level() : port.room());
      e.sched.point(Point['engine.burst']);
      const at = mem + (moved - segStart);
      if (port.rx) port.pop(at, k, bytes);
      else port.push(at, k, bytes);
      moved += k;
      Atomics.store(c, cb + VREG.HW_PROGRESS, moved);
    }
    segStart = segEnd;
  }
  if (result !== DmaengineTxResult.DMA_TRANS_NOERROR) {
    d[db + DESC.RESULT] = result;
    d[db + DESC.RESULT_RESIDUE] = len - moved;
  }
  e.stats[e.statBase + STAT.DESCRIPTORS]!++;
  e.stats[e.statBase + STAT.BYTES]! += moved;
  if (e.emitter.on(EventCode['engine.done']))
    e.emitter.emit(EventCode['engine.done'], CTX_HW, chan, desc, moved, 0, d[db + DESC.GEN]);
  return 0;
}
