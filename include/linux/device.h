/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_DEVICE_H
#define _LINUX_DEVICE_H

#include <linux/printk.h>

/* Opaque: the client device a channel is requested for (NULL is fine in dmasim). */
struct device;

#define dev_err(dev, fmt, ...) printk(KERN_ERR fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) printk(KERN_DEBUG fmt, ##__VA_ARGS__)

#endif
