import { thisCpu } from './current.js';
import { EventCode } from '../events/kinds.js';
import { trace } from '../events/trace.js';
import { CPU } from '../shm/cpu-struct.js';

/** What called might_sleep() (the `what` of `might_sleep` events). */
export const SLEEPERS = [
  'mutex_lock',
  'dmaengine_synchronize',
  'dmaengine_terminate_sync',
  'msleep',
  // dma_list_mutex: mutex_lock() in each.
  'dma_request_chan',
  'dma_request_channel',
  'dma_release_channel',
  // kmalloc(GFP_KERNEL): might_sleep_if(gfpflags_allow_blocking()).
  'kmalloc',
  // A C driver's wait_for_completion*().
  'wait_for_completion',
] as const;
export type Sleeper = (typeof SLEEPERS)[number];

/**
 * might_sleep(): a function that may sleep was called. In atomic context (interrupt context,
 * bh off, a spinlock held, irqs off) that is "BUG: sleeping function called from invalid
 * context": recorded as a `might_sleep` event that the validator reports. The call then goes
 * on, as in the kernel, and may really deadlock.
 */
export function mightSleep(what: Sleeper): void {
  const cpu = thisCpu();
  const irqsOff = cpu.irqsDisabled();
  if (!cpu.inAtomic() && !irqsOff) return;
  const w = cpu.w;
  const b = cpu.base;
  trace(
    EventCode.might_sleep,
    SLEEPERS.indexOf(what),
    cpu.inAtomic() ? 1 : 0,
    irqsOff ? 1 : 0,
    w[b + CPU.PREEMPT_COUNT],
    w[b + CPU.HELD_COUNT],
  );
}
