// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * demo_kmod.c - kmlib_demo.ko: runs the side-by-side demo while loading
 * and prints the same "kmlib-demo:" lines as the user-space program.
 * Loading fails (and says why) if the run failed.
 */
#include <linux/module.h>
#include <linux/printk.h>
#include "demo.h"
#include "demo_print.h"

static int __init kmlib_demo_init(void)
{
	struct kml_demo_report rep;
	struct kml_mem mem;
	char line[128];
	u32 i;
	int ret;

	kml_mem_init(&mem, "demo", 1 << 20);
	ret = kml_demo_run(&mem, &rep);
	for (i = 0; kml_demo_format(&rep, ret, kml_mem_current(&mem), i, line,
				    sizeof(line)); i++)
		pr_info("%s\n", line);
	return ret;
}

static void __exit kmlib_demo_exit(void)
{
}

module_init(kmlib_demo_init);
module_exit(kmlib_demo_exit);
MODULE_LICENSE("Dual BSD/GPL");
MODULE_DESCRIPTION("KMLib side-by-side demo: the user-space training run, in the kernel");
