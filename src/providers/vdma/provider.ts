import type { ProviderModule } from '../../platform/provider.js';
import { VdmaDevice } from './vdma.js';
import { VdmaEngine } from './engine.js';
import { VREG } from './hw-regs.js';
import { VDMA_OPTION_DEFS, VDMA_VARIANT_DEFAULTS } from './options.js';

/**
 * vdma as a plug-in: one interrupt line and one vchan tasklet per channel, each channel's
 * registers and queue in its hardware words, and an engine actor per controller.
 */
export const vdmaProvider: ProviderModule = {
  name: 'vdma',
  summary:
    'a generic virt-dma controller: memcpy, slave sg and interleaved, one engine thread per controller',
  options: VDMA_OPTION_DEFS,
  variantDefaults: VDMA_VARIANT_DEFAULTS,
  layout: { channel: VREG },
  irqLines: (channels) => channels,
  tasklets: (channels) => channels,
  format: (machine, dev) => VdmaDevice.format(machine, dev),
  probe: ({ view, dev }) => new VdmaDevice(view, dev),
  engine: ({ view, sched, dev, emitter, actor, seed }) =>
    new VdmaEngine(view, sched, dev, emitter, actor, seed).run(),
};
