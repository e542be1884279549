import { currentActor } from '../kernel/current.js';
import type { DmaDevice } from '../dmaengine/provider.js';
import {
  TYPE_NAMES,
  addrSize,
  deviceWrites,
  dirName,
  dmaDeviceId,
  errPrintk,
  hex64,
} from './debug.js';

/**
 * A CPU's access to `[addr, addr + len)` (driver code calls it where it reads or writes a
 * buffer, as KMSAN would see it): the bytes must not belong to a live mapping the device
 * owns (mapped, or synced back for the device). Reading a DMA_TO_DEVICE buffer is allowed:
 * the device only reads it, and the CPU's copy is what it reads. dmasim's own check
 * (CONFIG_DMA_API_DEBUG cannot see CPU accesses).
 * @param write whether the CPU writes
 * @returns whether the access was allowed
 */
export function dmaDebugCpuAccess(addr: number, len: number, write: boolean): boolean {
  const { machine } = currentActor();
  const table = machine.dmaDebug;
  if (table.disabled() || len <= 0) return true;
  for (const e of table.overlapping(addr, len)) {
    if (e.owner !== 1 || (!write && !deviceWrites(e.dir))) continue;
    const name = machine.strings.text(e.name) ?? `device ${e.dev}`;
    errPrintk(
      { name },
      'debug_dma_cpu_access',
      'cpu-access',
      `cpu ${write ? 'writes' : 'reads'} DMA memory the device owns ${addrSize(e.addr, e.size)} ` +
        `[mapped with ${dirName(e.dir)}] [cpu ${write ? 'write' : 'read'} at ${hex64(addr)} size=${len}]`,
      { addr, size: len, entry: e },
    );
    return false;
  }
  return true;
}

/**
 * The device lost its last client (dma_release_channel() of its last requested channel):
 * dma-debug's BUS_NOTIFY_UNBOUND_DRIVER check, done at the point where a dmaengine client's
 * mappings of the controller must all be gone. Each leaked mapping is reported once.
 */
export function dmaDebugDeviceReleased(dev: DmaDevice): void {
  if (dev.channels.some((c) => c.clientCount() > 0)) return;
  const table = currentActor().machine.dmaDebug;
  if (table.disabled()) return;
  const leaked = table.ofDevice(dmaDeviceId(dev)).filter((e) => e.reported === 0);
  if (leaked.length === 0) return;
  const e = leaked[leaked.length - 1]!;
  errPrintk(
    dev,
    'dma_debug_device_change',
    'leak',
    `device driver has pending DMA allocations while released from device [count=${leaked.length}]\n` +
      `One of leaked entries details: ${addrSize(e.addr, e.size)} [mapped with ${dirName(e.dir)}] [mapped as ${TYPE_NAMES[e.type]}]`,
    { addr: e.addr, size: e.size, entry: e },
  );
  for (const l of leaked) table.setReported(l.slot);
}
