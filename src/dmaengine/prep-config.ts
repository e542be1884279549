import { currentActor } from '../kernel/current.js';
import { ApiPoint } from '../sched/labels.js';
import { apiEnter, apiExit } from './api-point.js';
import { lockAs } from '../kernel/lock-as.js';
import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';
import type { DmaChan } from './chan.js';
import type { DmaAsyncTxDescriptor } from './descriptor.js';
import { dmaenginePrepSlaveSg, dmaengineSlaveConfig, noChan, wrapPrep } from './consumer.js';
import {
  DmaOp,
  type DmaSlaveConfig,
  type DmaTransferDirection,
  type Scatterlist,
} from './types.js';

/**
 * dmaengine_prep_config_sg(): config and prep in one call. With the driver's
 * device_prep_config_sg, one driver call (config passed even when NULL); without it,
 * dmaengine_slave_config() when `config` is given (NULL on its error), then prep. The
 * fallback is two steps, so it is only atomic under the _safe variant's lock.
 * @returns the descriptor, or null (NULL chan or chan->device first of all)
 */
export function dmaenginePrepConfigSg(
  chan: DmaChan | null,
  sgl: readonly Scatterlist[],
  dir: DmaTransferDirection,
  flags: number,
  config: DmaSlaveConfig | null,
): DmaAsyncTxDescriptor | null {
  if (noChan(chan)) return null;
  const dev = chan.device;
  if (dev.devicePrepConfigSg) {
    const cpu = apiEnter(ApiPoint.dmaengine_prep_config_sg);
    // The intent, for the config-prep-mismatch checker: what this caller meant to apply.
    if (config)
      trace(
        EventCode.config,
        chan.index,
        -1,
        config.direction ?? 0,
        config.srcAddr,
        config.dstAddr,
      );
    let len = 0;
    for (const sg of sgl) len += sg.length;
    const tx = wrapPrep(
      chan,
      dev.devicePrepConfigSg(chan, sgl, dir, flags, config),
      DmaOp.SLAVE_SG,
      len,
      flags,
    );
    apiExit(cpu, ApiPoint.dmaengine_prep_config_sg);
    return tx;
  }
  if (config && dmaengineSlaveConfig(chan, config) < 0) return null;
  return dmaenginePrepSlaveSg(chan, sgl, dir, flags);
}

/** dmaengine_prep_config_single(): a one-entry scatterlist. */
export function dmaenginePrepConfigSingle(
  chan: DmaChan | null,
  buf: number,
  len: number,
  dir: DmaTransferDirection,
  flags: number,
  config: DmaSlaveConfig | null,
): DmaAsyncTxDescriptor | null {
  return dmaenginePrepConfigSg(chan, [{ dmaAddress: buf, length: len }], dir, flags, config);
}

/**
 * dmaengine_prep_config_sg_safe(): dmaengine_prep_config_sg() made atomic. A driver with
 * device_prep_config_sg gets no framework lock at all. Otherwise the config + prep pair
 * runs under chan->lock, taken the way this kernel's version of the series takes it
 * (MachineSpec.safePrepLock): v3 mutex_lock, v4/v5 spin_lock, v6+ spin_lock_irqsave.
 * @returns the descriptor, or null (NULL chan or chan->device: no lock is taken)
 */
export function dmaenginePrepConfigSgSafe(
  chan: DmaChan | null,
  sgl: readonly Scatterlist[],
  dir: DmaTransferDirection,
  flags: number,
  config: DmaSlaveConfig | null,
): DmaAsyncTxDescriptor | null {
  if (noChan(chan)) return null;
  if (chan.device.devicePrepConfigSg) return dmaenginePrepConfigSg(chan, sgl, dir, flags, config);
  const mode = currentActor().machine.spec.safePrepLock;
  const release = lockAs(mode, mode === 'mutex' ? chan.mutex : chan.lock);
  try {
    return dmaenginePrepConfigSg(chan, sgl, dir, flags, config);
  } finally {
    release();
  }
}

/** dmaengine_prep_config_single_safe(): the sg variant with a one-entry list (on the stack). */
export function dmaenginePrepConfigSingleSafe(
  chan: DmaChan | null,
  buf: number,
  len: number,
  dir: DmaTransferDirection,
  flags: number,
  config: DmaSlaveConfig | null,
): DmaAsyncTxDescriptor | null {
  return dmaenginePrepConfigSgSafe(chan, [{ dmaAddress: buf, length: len }], dir, flags, config);
}
