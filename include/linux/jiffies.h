/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

/* HZ is 1000: a jiffy is a run-clock millisecond (virtual in a controlled run). */
#define HZ 1000
unsigned long __dmasim_jiffies(void);
#define jiffies __dmasim_jiffies()
static inline unsigned long msecs_to_jiffies(unsigned int m) { return m; }
static inline unsigned int jiffies_to_msecs(unsigned long j) { return j; }

#endif
