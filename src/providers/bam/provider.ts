import type { ProviderModule } from '../../platform/provider.js';
import { BamDevice } from './bam.js';
import { BamEngine } from './engine.js';
import { BREG, PIPE, pipeEe } from './regs.js';
import { BAM_OPTION_DEFS, BAM_VARIANT_DEFAULTS, type BamOptions } from './options.js';

/**
 * The Qualcomm BAM as a plug-in: its global registers and one pipe (descriptor FIFO and
 * registers) per channel in its hardware words, one interrupt line per execution
 * environment, a vchan tasklet per pipe and a work handler per EE, and an engine actor.
 */
export const bamProvider: ProviderModule = {
  name: 'bam',
  summary:
    'a Qualcomm BAM: descriptor FIFOs per pipe, command descriptors, NWD, pipe locking shared by execution environments',
  options: BAM_OPTION_DEFS,
  variantDefaults: BAM_VARIANT_DEFAULTS,
  layout: { device: BREG, channel: PIPE },
  irqLines: (_channels, options) => (options as unknown as BamOptions).ees,
  irqChannel: (line, channels, options) => {
    const ees = (options as unknown as BamOptions).ees;
    for (let k = 0; k < channels; k++) if (pipeEe(k, channels, ees) === line) return k;
    return -1;
  },
  tasklets: (channels, options) => channels + (options as unknown as BamOptions).ees,
  format: (machine, dev) => BamDevice.format(machine, dev),
  probe: ({ view, dev }) => new BamDevice(view, dev),
  engine: ({ view, sched, dev, actor }) => new BamEngine(view, sched, dev, actor).run(),
};
