/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/types.h>
#include <linux/lockdep.h>

/*
 * dmasim's kernel spinlock: `raw` is the lock word (0 free, else owner CPU + 1), taken by
 * dmasim's kernel, so every lock and unlock is a preemption point and lockdep sees it.
 * `name` names its lockdep class, as the kernel's static key per spin_lock_init() site does.
 */
typedef struct spinlock {
	int raw;
	const char *name;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname) { 0, #lockname }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

void __dmasim_spin_lock_init(spinlock_t *lock, const char *name);
#define spin_lock_init(lock) __dmasim_spin_lock_init((lock), #lock)

void spin_lock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
void spin_lock_bh(spinlock_t *lock);
void spin_unlock_bh(spinlock_t *lock);
void spin_lock_irq(spinlock_t *lock);
void spin_unlock_irq(spinlock_t *lock);
unsigned long _raw_spin_lock_irqsave(spinlock_t *lock);
void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);
#define spin_lock_irqsave(lock, flags)                      \
	do {                                                \
		(flags) = _raw_spin_lock_irqsave(lock);     \
	} while (0)

/* Interrupts on this CPU (dmasim's, so the scheduler and lockdep see the state). */
unsigned long arch_local_irq_save(void);
void arch_local_irq_restore(unsigned long flags);
#define local_irq_save(flags)                           \
	do {                                            \
		(flags) = arch_local_irq_save();        \
	} while (0)
#define local_irq_restore(flags) arch_local_irq_restore(flags)

#endif
