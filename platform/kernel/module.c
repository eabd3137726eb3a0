// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * module.c - kmlib.ko: the library itself keeps no global state to set up
 * or tear down; loading it makes the exported kml_* API available.
 */
#include <linux/module.h>
#include <linux/init.h>
#include "kmlib/platform.h"
#include "chan_internal.h"

/* the build passes the Meson project version */
#ifndef KMLIB_VERSION
#define KMLIB_VERSION "unknown"
#endif

static int __init kmlib_init(void)
{
	/* /dev/kmlib: shared mode (chardev.c) */
	int ret = kml_chardev_init();

	if (ret)
		return ret;
	kml_log_msg(KML_LOG_INFO, "kmlib: loaded\n");
	return 0;
}

static void __exit kmlib_exit(void)
{
	kml_chardev_exit();
	kml_log_msg(KML_LOG_INFO, "kmlib: unloaded\n");
}

module_init(kmlib_init);
module_exit(kmlib_exit);

/* GPL-compatible: kernel_fpu_begin_mask() is EXPORT_SYMBOL_GPL */
MODULE_LICENSE("Dual BSD/GPL");
MODULE_DESCRIPTION(
    "KMLib: machine learning for the inside of an operating system");
MODULE_AUTHOR("KMLib developers");
MODULE_VERSION(KMLIB_VERSION);
