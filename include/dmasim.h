/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a C driver gives dmasim, and what dmasim gives it beyond the kernel's API.
 *
 *   DMASIM_PROBE(fn)   int fn(void): once, on CPU 0, before any CPU runs its main
 *   DMASIM_CPU(fn)     int fn(int cpu): each CPU's process context (--cpus of them);
 *                      its return value is that CPU's result (0, or -errno)
 *   DMASIM_REMOVE(fn)  void fn(void): once, on CPU 0, after every CPU's main returned
 */
#ifndef _DMASIM_H
#define _DMASIM_H

#include <linux/types.h>

/* Called through a volatile pointer: `fn` keeps its name in reports (it is not inlined). */
#define DMASIM_PROBE(fn)                                                                  \
	static int (*volatile __dmasim_probe_fn)(void) = fn;                              \
	__attribute__((export_name("dmasim_probe"))) int __dmasim_probe(void)             \
	{                                                                                 \
		return __dmasim_probe_fn();                                               \
	}
#define DMASIM_CPU(fn)                                                                    \
	static int (*volatile __dmasim_cpu_fn)(int) = fn;                                 \
	__attribute__((export_name("dmasim_cpu"))) int __dmasim_cpu(int cpu)              \
	{                                                                                 \
		return __dmasim_cpu_fn(cpu);                                              \
	}
#define DMASIM_REMOVE(fn)                                                                 \
	static void (*volatile __dmasim_remove_fn)(void) = fn;                            \
	__attribute__((export_name("dmasim_remove"))) void __dmasim_remove(void)          \
	{                                                                                 \
		__dmasim_remove_fn();                                                     \
	}

/* A violation of the driver's own kind (kebab-case), as reportViolation() records it. */
void dmasim_report(const char *kind, const char *fmt, ...);

/* The FIFO device `name` (fifo0, ...): its data register's bus address and its irq line. */
phys_addr_t dmasim_fifo_data_addr(const char *name);
int dmasim_fifo_irq(const char *name);
/* Starts (enable != 0) or stops the FIFO device's stream. */
void dmasim_fifo_enable(const char *name, int enable);
/*
 * Its STATUS register (DMASIM_FIFO_DONE, _OVERRUN, _UNDERRUN), and the acknowledgement of
 * the bits a handler dealt with (write-1-to-clear: bits raised since stay set).
 */
#define DMASIM_FIFO_DONE 0x1
#define DMASIM_FIFO_OVERRUN 0x2
#define DMASIM_FIFO_UNDERRUN 0x4
u32 dmasim_fifo_status(const char *name);
void dmasim_fifo_ack(const char *name, u32 bits);
/* An rx FIFO read by PIO: bytes in it (as LSR.DR says "some"), and its next byte, or -1. */
unsigned int dmasim_fifo_level(const char *name);
int dmasim_fifo_read(const char *name);
/* The n-th byte of the FIFO device's stream, to check received data against. */
u8 dmasim_fifo_stream_byte(unsigned int n);

/* The value of a --param NAME=VALUE of the run (integers), or `def` when not given. */
long dmasim_param(const char *name, long def);

#endif
