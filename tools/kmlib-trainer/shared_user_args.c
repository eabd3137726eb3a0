// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * shared_user_args.c - the user library of shared mode without a kernel:
 * every entry point refuses NULL and bad arguments with a status (no
 * crash), a missing device gives KML_ENOENT, and the ioctl numbers of
 * shared.h follow the generic Linux encoding (checked against
 * <linux/ioctl.h> here; the kernel checks them too). The behaviour with a
 * kernel is tested in QEMU (tools/kernel/shared-test.sh).
 */
#include <linux/ioctl.h>
#include <stdio.h>
#include "kmlib/shared_user.h"
#include "kmlib/status.h"

static int failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failed++;                                              \
		}                                                              \
	} while (0)

int main(void)
{
	char name[KML_SHM_NAME_MAX + 1];
	struct kml_shm_stats st;
	struct kml_shu *s = (struct kml_shu *)1;
	uint8_t buf[64];
	size_t n = 7, len;
	void *area;

	CHECK(KML_SHM_IOC_ATTACH ==
	      _IOWR(KML_SHM_IOC_TYPE, 1, struct kml_shm_attach));
	CHECK(KML_SHM_IOC_WAIT ==
	      _IOWR(KML_SHM_IOC_TYPE, 2, struct kml_shm_wait));
	CHECK(KML_SHM_IOC_PUBLISH ==
	      _IOW(KML_SHM_IOC_TYPE, 3, struct kml_shm_publish));
	CHECK(KML_SHM_IOC_PARAMS ==
	      _IOWR(KML_SHM_IOC_TYPE, 4, struct kml_shm_params));
	CHECK(KML_SHM_IOC_STATS ==
	      _IOR(KML_SHM_IOC_TYPE, 5, struct kml_shm_stats));
	/* fixed layout: the same sizes for 32- and 64-bit callers */
	CHECK(sizeof(struct kml_shm_attach) == 128);
	CHECK(sizeof(struct kml_shm_publish) == 56);
	CHECK(sizeof(struct kml_shm_stats) == 72);
	/* the parameter area: param_bytes rounded up to 4096-byte pages */
	CHECK(KML_SHM_PARAM_AREA_BYTES(1) == 4096);
	CHECK(KML_SHM_PARAM_AREA_BYTES(4096) == 4096);
	CHECK(KML_SHM_PARAM_AREA_BYTES(4097) == 8192);
	CHECK(KML_SHM_OFF_PARAM != KML_SHM_OFF_CONS &&
	      KML_SHM_OFF_PARAM % 4096 == 0);

	CHECK(kml_shu_open(NULL, NULL, "x") == KML_EINVAL);
	CHECK(kml_shu_open(&s, NULL, NULL) == KML_EINVAL && !s);
	CHECK(kml_shu_open(&s, NULL, "") == KML_EINVAL);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	CHECK(kml_shu_open(&s, NULL, name) == KML_EINVAL);
	CHECK(kml_shu_open(&s, "/nonexistent/kmlib", "lin") == KML_ENOENT &&
	      !s);
	CHECK(kml_shu_read(NULL, buf, 1, &n) == KML_EINVAL && n == 0);
	CHECK(kml_shu_wait(NULL, 0) == KML_EINVAL);
	CHECK(kml_shu_publish(NULL, buf, 4, 1) == KML_EINVAL);
	CHECK(kml_shu_params(NULL, buf, 4, NULL) == KML_EINVAL);
	area = buf;
	len = 9;
	CHECK(kml_shu_param_area(NULL, &area, &len) == KML_EINVAL && !area &&
	      !len);
	CHECK(kml_shu_param_area(s, NULL, &len) == KML_EINVAL);
	CHECK(kml_shu_param_area(s, &area, NULL) == KML_EINVAL);
	CHECK(kml_shu_publish_area(NULL, 1) == KML_EINVAL);
	CHECK(kml_shu_weights(NULL, buf, 4, NULL) == KML_EINVAL);
	CHECK(kml_shu_weights(s, NULL, 4, NULL) == KML_EINVAL);
	CHECK(KML_SHM_WEIGHTS_BYTES(4096 - 16) == 4096 &&
	      KML_SHM_WEIGHTS_BYTES(4096 - 15) == 8192);
	CHECK(kml_shu_stats(NULL, &st) == KML_EINVAL);
	CHECK(kml_shu_fd(NULL) == KML_EINVAL);
	CHECK(kml_shu_info(NULL) == NULL);
	kml_shu_close(NULL);
	printf("%s\n",
	       failed ? "shared_user_args: FAILED" : "shared_user_args: ok");
	return failed ? 1 : 0;
}
