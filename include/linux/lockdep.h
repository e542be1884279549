/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H

/* A WARNING (a violation) unless this CPU holds the lock: a spinlock_t * or struct mutex *. */
void __dmasim_lockdep_assert_held(const void *lock, const char *file, int line, const char *func);
int __dmasim_lockdep_is_held(const void *lock);
#define lockdep_assert_held(l) __dmasim_lockdep_assert_held((l), __FILE__, __LINE__, __func__)
#define lockdep_is_held(l) __dmasim_lockdep_is_held(l)

#endif
