import { DESC } from '../../shm/descriptor-pool.js';
import { ARENA_RESERVED } from '../../shm/arena.js';
import { currentActor } from '../../kernel/current.js';
import { EINVAL, ENOMEM } from '../../kernel/errno.js';
import type { DmaChan } from '../../dmaengine/chan.js';
import { descBase } from '../../dmaengine/vchan-list.js';
import {
  DescMetadataMode,
  descMetadataMode,
  type DmaDescriptorMetadataOps,
  type DmaMetadataPtr,
} from '../../dmaengine/metadata.js';
import { DmaTransferDirection } from '../../dmaengine/types.js';
import { VREG } from './hw-regs.js';
import { VDESC } from './vdesc.js';

/** Bytes of vdma's per-descriptor metadata buffer in engine mode (max_len). */
export const VDMA_METADATA_MAX = 64;

/**
 * vdma's completion record, what it writes into a descriptor's metadata when the transfer
 * completes: four little-endian u32s.
 *
 *   0  result      enum dmaengine_tx_result
 *   4  bytes       bytes moved
 *   8  cookie      the descriptor's cookie
 *   12 time        run-clock time of the completion, in microseconds
 */
export const VDMA_COMPLETION_RECORD = 16;

/** Clears a new descriptor's metadata words (prep: the slot's provider words are not zeroed). */
export function vdmaMetadataReset(d: Int32Array, db: number): void {
  d[db + VDESC.META_ADDR] = 0;
  d[db + VDESC.META_LEN] = 0;
  d[db + VDESC.META_PAYLOAD] = 0;
}

/** The channel's engine-mode area (one VDMA_METADATA_MAX buffer per slot), made on first use. */
function metaArea(chan: DmaChan): number {
  const c = chan.hwWords;
  const i = chan.hw + VREG.META_AREA;
  const had = Atomics.load(c, i);
  if (had !== 0) return had;
  const machine = chan.machine;
  const area = machine.arena.alloc(machine.pool.slots * VDMA_METADATA_MAX, 64);
  if (area === 0) return 0;
  // Two CPUs may make it at once: the first store wins (the loser's bump space is lost).
  const won = Atomics.compareExchange(c, i, 0, area);
  return won === 0 ? area : won;
}

/**
 * vdma's dma_descriptor_metadata_ops. Slave and interleaved descriptors have them; a
 * memcpy descriptor has none (its metadata calls get -ENOTSUPP).
 *   attach (client mode): the buffer must be in memory and hold a completion record
 *   get_ptr (engine mode): the descriptor's buffer in the channel's area
 *   set_len (engine mode): at most VDMA_METADATA_MAX
 */
export function vdmaMetadataOps(
  chanOf: (desc: number) => DmaChan | null,
): DmaDescriptorMetadataOps {
  return {
    attach(desc: number, data: number, len: number): number {
      const d = currentActor().machine.pool.words;
      const size = currentActor().machine.arena.size;
      if (data < ARENA_RESERVED || len < VDMA_COMPLETION_RECORD || data + len > size)
        return -EINVAL;
      const db = descBase(desc);
      d[db + VDESC.META_ADDR] = data;
      d[db + VDESC.META_LEN] = len;
      return 0;
    },
    getPtr(desc: number): DmaMetadataPtr | number {
      const chan = chanOf(desc);
      const area = chan ? metaArea(chan) : 0;
      if (area === 0) return -ENOMEM;
      const d = currentActor().machine.pool.words;
      return {
        ptr: area + desc * VDMA_METADATA_MAX,
        payloadLen: d[descBase(desc) + VDESC.META_PAYLOAD]!,
        maxLen: VDMA_METADATA_MAX,
      };
    },
    setLen(desc: number, payloadLen: number): number {
      if (!Number.isInteger(payloadLen) || payloadLen < 0 || payloadLen > VDMA_METADATA_MAX)
        return -EINVAL;
      currentActor().machine.pool.words[descBase(desc) + VDESC.META_PAYLOAD] = payloadLen;
      return 0;
    },
  };
}

/**
 * At completion (the irq handler, before the cookie completes): writes the completion
 * record into the client's attached buffer (client mode), or into the descriptor's engine
 * buffer unless the client filled it for a MEM_TO_DEV transfer (engine mode).
 */
export function vdmaMetadataComplete(chan: DmaChan, desc: number): void {
  const machine = chan.machine;
  const d = machine.pool.words;
  const mode = descMetadataMode(d, desc);
  if (mode === 0) return;
  const db = descBase(desc);
  let at = 0;
  if (mode === DescMetadataMode.DESC_METADATA_CLIENT) {
    at = d[db + VDESC.META_ADDR]!;
  } else if (
    d[db + DESC.DIRECTION] !== DmaTransferDirection.DMA_MEM_TO_DEV ||
    d[db + VDESC.META_PAYLOAD] === 0
  ) {
    const area = Atomics.load(chan.hwWords, chan.hw + VREG.META_AREA);
    if (area !== 0) {
      at = area + desc * VDMA_METADATA_MAX;
      d[db + VDESC.META_PAYLOAD] = VDMA_COMPLETION_RECORD;
    }
  }
  if (at === 0) return;
  const moved = d[db + DESC.LEN]! - d[db + DESC.RESULT_RESIDUE]!;
  const view = new DataView(machine.arena.buffer, at, VDMA_COMPLETION_RECORD);
  view.setUint32(0, d[db + DESC.RESULT]!, true);
  view.setUint32(4, moved, true);
  view.setUint32(8, d[db + DESC.COOKIE]!, true);
  view.setUint32(12, Math.round(currentActor().clock.now() * 1000), true);
}
