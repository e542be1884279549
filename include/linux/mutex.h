/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/lockdep.h>

/* The same word format as spinlock_t; a waiter sleeps instead of spinning. */
struct mutex {
	int owner;
	const char *name;
};

#define DEFINE_MUTEX(x) struct mutex x = { 0, #x }
void __dmasim_mutex_init(struct mutex *lock, const char *name);
#define mutex_init(lock) __dmasim_mutex_init((lock), #lock)
void mutex_lock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

#endif
