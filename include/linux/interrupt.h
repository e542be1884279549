/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <linux/types.h>
#include <linux/spinlock.h>

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x00000080

/*
 * Runs `handler` in hardirq context on the CPU the line's affinity names, whenever the
 * device raises `irq` (a peripheral's line: dmasim_peripheral_irq() finds it).
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id);
void free_irq(unsigned int irq, void *dev_id);

/* This CPU's context, as the kernel's preempt count says it. */
bool in_interrupt(void);
bool in_hardirq(void);
bool in_softirq(void);
#define in_irq() in_hardirq()
int smp_processor_id(void);

#endif
