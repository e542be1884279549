/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_KCSAN_CHECKS_H
#define _LINUX_KCSAN_CHECKS_H

/* Accesses between these two are not checked by --kcsan (see data_race()). */
void __kcsan_disable_current(void);
void __kcsan_enable_current(void);
#define kcsan_disable_current() __kcsan_disable_current()
#define kcsan_enable_current() __kcsan_enable_current()

#endif
