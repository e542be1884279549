/* SPDX-License-Identifier: GPL-2.0 */
/* dmasim: the kernel's basic types for a wasm32 driver (pointers and longs are 32 bits). */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef u8 __u8;
typedef u16 __u16;
typedef u32 __u32;
typedef u64 __u64;
typedef __SIZE_TYPE__ size_t;
typedef long ssize_t;
typedef _Bool bool;
typedef unsigned int gfp_t;
/* An arena address is its own bus address (no IOMMU), and fits 32 bits. */
typedef u32 dma_addr_t;
typedef u32 phys_addr_t;
typedef s32 dma_cookie_t;
typedef unsigned long uintptr_t;

#define true 1
#define false 0
#define NULL ((void *)0)

typedef struct {
	int counter;
} atomic_t;

struct list_head {
	struct list_head *next, *prev;
};

#endif
