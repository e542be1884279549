/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

/* Sleeps on the run clock (a preemption point; might_sleep). */
void msleep(unsigned int msecs);

#endif
