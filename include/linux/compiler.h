/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <linux/types.h>
#include <linux/kcsan-checks.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" : : : "memory")
#define __must_check __attribute__((warn_unused_result))
#define __maybe_unused __attribute__((unused))
#define __always_inline inline __attribute__((always_inline))
#define noinline __attribute__((noinline))
#define __aligned(x) __attribute__((aligned(x)))

/*
 * Marked accesses: volatile, as the kernel's are. Under --kcsan they are the accesses
 * that may race (two marked accesses are never a data race).
 */
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)                                   \
	do {                                                 \
		*(volatile __typeof__(x) *)&(x) = (val);     \
	} while (0)

/* An access the author knows races and accepts: --kcsan does not look inside. */
#define data_race(expr)                                      \
	({                                                   \
		__typeof__(({ expr; })) __v;                 \
		__kcsan_disable_current();                   \
		__v = ({ expr; });                           \
		__kcsan_enable_current();                    \
		__v;                                         \
	})

#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

#endif
