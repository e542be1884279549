import { defineLayout } from './layout.js';

/**
 * The kernel's interrupt lines and tasklets, in tables of their own: a provider or a
 * peripheral asks for lines and tasklets when the machine is planned, and its code knows
 * them by number, as a driver knows its irq from the platform device.
 *
 * One interrupt line (struct irq_desc, reduced to what delivery needs):
 *   PENDING   1 while raised and not yet handled (hardware sets it, the CPU clears it)
 *   CPU       its affinity: the CPU that takes it
 *   HANDLER   the id of the handler request_irq() installed (0: none; a provider's probe
 *             installs its own in every thread instead, see kernel/interrupts.ts)
 *   DEV_ID    request_irq()'s dev_id, passed to the handler
 *   UNHANDLED interrupts raised with no handler installed (the kernel's "nobody cared")
 * Each line has a 64-byte line of its own: the hardware raising one line does not bounce
 * the cache line a CPU is clearing for another.
 */
export const IRQ = defineLayout(['PENDING', 'CPU', 'HANDLER', 'DEV_ID', 'UNHANDLED'], {}, 16);

/**
 * One tasklet (struct tasklet_struct):
 *   STATE   TASKLET_STATE_SCHED / RUN bits and the scheduling CPU (see TaskletState)
 *   CPU     a copy of that CPU, for reports
 */
export const TASKLET = defineLayout(['STATE', 'CPU'], {}, 16);

/**
 * Bits of TASKLET.STATE (TASKLET_STATE_SCHED / TASKLET_STATE_RUN). While SCHED is set,
 * the bits from CPU_SHIFT up hold the scheduling CPU + 1: the kernel's per-CPU tasklet list.
 * SCHED and the CPU are set by one compare-and-swap, so no CPU ever sees SCHED with another
 * CPU's name (TASKLET.CPU, stored after, is only for reports).
 */
export const TaskletState = { SCHED: 1, RUN: 2, CPU_SHIFT: 2 } as const;
