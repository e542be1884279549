import { IRQ } from '../shm/irq-struct.js';
import { currentActor } from './current.js';
import { EBUSY, EINVAL } from './errno.js';
import { nameId } from '../shm/name-hash.js';

/** irqreturn_t. */
export const IrqReturn = { IRQ_NONE: 0, IRQ_HANDLED: 1 } as const;
export type IrqReturn = (typeof IrqReturn)[keyof typeof IrqReturn];

/** An irq_handler_t made with defineIrqHandler(): fn(irq, dev_id). */
export interface DefinedIrqHandler {
  readonly id: number;
  readonly name: string;
  readonly fn: (irq: number, devId: number) => IrqReturn;
}

// Process-global (keyed by Symbol.for), as lock classes: two copies of the library in one
// thread (a module importing the built package, tests importing the sources) share it.
const REGISTRY = Symbol.for('dmasim.irqHandlers');
const store = globalThis as { [REGISTRY]?: Map<number, DefinedIrqHandler> };
const handlers = (store[REGISTRY] ??= new Map<number, DefinedIrqHandler>());

/**
 * Defines an interrupt handler. The line is taken on whichever CPU its affinity names,
 * maybe not the one that called request_irq(), so the handler is installed as an id: a
 * module defines its handlers at load time, every thread loads the same modules and gets
 * the same ids (a hash of the name), as with defineCallback().
 * @throws Error when two names hash to one id (rename one)
 */
export function defineIrqHandler(
  name: string,
  fn: (irq: number, devId: number) => IrqReturn,
): DefinedIrqHandler {
  const id = nameId(name);
  const other = handlers.get(id);
  if (other && other.name !== name) {
    throw new Error(`irq handler ids collide: ${name} and ${other.name}; rename one`);
  }
  const h = { id, name, fn };
  handlers.set(id, h);
  return h;
}

/** The handler with `id`, if this thread loaded it. */
export function definedIrqHandler(id: number): DefinedIrqHandler | undefined {
  return handlers.get(id);
}

/**
 * request_irq(irq, handler, flags, name, dev_id): installs `handler` on line `irq` for
 * every CPU. The handler runs in hardirq context with interrupts off on the CPU the line's
 * affinity names. A handler not made with defineIrqHandler() is refused.
 * @returns 0, -EINVAL for a line the machine has not or a handler not defined, -EBUSY when
 *   the line already has one (no IRQF_SHARED here)
 */
export function requestIrqHandler(irq: number, handler: DefinedIrqHandler, devId = 0): number {
  const m = currentActor().machine;
  if (!Number.isInteger(irq) || irq < 0 || irq >= m.spec.irqs.length) return -EINVAL;
  if (handlers.get(handler?.id) !== handler) return -EINVAL;
  const ib = irq * IRQ.WORDS;
  m.irqs[ib + IRQ.DEV_ID] = devId | 0;
  // The id is published last: a CPU that sees it also sees DEV_ID.
  if (Atomics.compareExchange(m.irqs, ib + IRQ.HANDLER, 0, handler.id) !== 0) return -EBUSY;
  return 0;
}

/** free_irq(irq, dev_id): removes the line's handler. */
export function freeIrqHandler(irq: number): void {
  const m = currentActor().machine;
  if (irq >= 0 && irq < m.spec.irqs.length) Atomics.store(m.irqs, irq * IRQ.WORDS + IRQ.HANDLER, 0);
}
