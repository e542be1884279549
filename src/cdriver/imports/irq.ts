import {
  IrqReturn,
  defineIrqHandler,
  freeIrqHandler,
  requestIrqHandler,
} from '../../kernel/irq-handlers.js';
import { kfree, kzalloc } from '../../kernel/slab.js';
import { Gfp } from '../../kernel/slab.js';
import { ENOMEM } from '../../kernel/errno.js';
import { cRuntime, type CRuntime } from '../runtime.js';

/**
 * A C interrupt handler: the line's dev_id is a kzalloc'd pair {handler, dev_id}, read
 * when the interrupt comes in on whichever CPU takes it.
 */
const C_IRQ = defineIrqHandler('cdriver_irq', (irq, pair) => {
  const rt = cRuntime();
  const ret = rt.callPtr(rt.u32(pair), irq, rt.u32(pair + 4));
  return ret === 0 ? IrqReturn.IRQ_NONE : IrqReturn.IRQ_HANDLED;
});

/** The pair each line was requested with, to free with the line. */
const pairs = new Map<number, number>();

export const IRQ_IMPORTS = {
  request_irq:
    (rt: CRuntime) =>
    (irq: number, handler: number, _flags: number, _name: number, dev: number) => {
      const pair = kzalloc(8, Gfp.GFP_KERNEL);
      if (pair === 0) return -ENOMEM;
      rt.setI32(pair, handler);
      rt.setI32(pair + 4, dev);
      const ret = requestIrqHandler(irq, C_IRQ, pair);
      if (ret < 0) kfree(pair);
      else pairs.set(irq, pair);
      return ret;
    },
  free_irq: () => (irq: number) => {
    freeIrqHandler(irq);
    const pair = pairs.get(irq);
    if (pair !== undefined) {
      pairs.delete(irq);
      kfree(pair);
    }
  },
} as const;
