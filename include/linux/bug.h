/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>

/* The kernel's reports: each is a violation of the run (kind bug / warning). */
void __dmasim_bug(const char *file, int line, const char *func) __attribute__((noreturn));
int __dmasim_warn(const char *file, int line, const char *func, const char *cond, int once);

#define BUG() __dmasim_bug(__FILE__, __LINE__, __func__)
#define BUG_ON(condition)                    \
	do {                                 \
		if (unlikely(condition))     \
			BUG();               \
	} while (0)
#define WARN_ON(condition) \
	({ int __c = !!(condition); if (unlikely(__c)) __dmasim_warn(__FILE__, __LINE__, __func__, #condition, 0); unlikely(__c); })
#define WARN_ON_ONCE(condition) \
	({ int __c = !!(condition); if (unlikely(__c)) __dmasim_warn(__FILE__, __LINE__, __func__, #condition, 1); unlikely(__c); })
#define WARN(condition, fmt, ...) \
	({ int __c = !!(condition); if (unlikely(__c)) { printk(fmt, ##__VA_ARGS__); __dmasim_warn(__FILE__, __LINE__, __func__, #condition, 0); } unlikely(__c); })

int printk(const char *fmt, ...);

#endif
