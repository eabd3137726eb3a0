// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * demo_user.c - run the demo in user space and print its report in the
 * same "kmlib-demo:" lines the kernel module prints, for
 * tools/side_by_side.py to put next to each other.
 */
#include <stdio.h>
#include "demo.h"
#include "demo_print.h"

int main(void)
{
	struct kml_demo_report rep;
	struct kml_mem mem;
	char line[128];
	uint32_t i;
	int ret;

	kml_mem_init(&mem, "demo", 1 << 20);
	ret = kml_demo_run(&mem, &rep);
	for (i = 0; kml_demo_format(&rep, ret, kml_mem_current(&mem), i, line,
				    sizeof(line)); i++)
		printf("%s\n", line);
	return ret ? 1 : 0;
}
