/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/types.h>

#define GFP_KERNEL 0x0cc0u
#define GFP_ATOMIC 0x0820u
#define GFP_NOWAIT 0x0800u
#define __GFP_ZERO 0x100u

/* dmasim's kmalloc: arena memory, KASAN-checked; GFP_KERNEL may sleep (might_sleep). */
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void kfree(const void *objp);
#define kcalloc(n, size, flags) kzalloc((n) * (size), (flags))

#endif
