// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * crc32.c - CRC-32 of IEEE 802.3 (reflected, polynomial 0xEDB88320,
 * initial and final XOR 0xFFFFFFFF), bit by bit: no table, so no state
 * and nothing to generate; model files are checked once per load.
 */
#include "model_impl.h"

int kml_crc32(uint32_t *crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t c;
	size_t i;
	int k;

	if (!crc || (!buf && len))
		return KML_EINVAL;
	c = ~*crc;
	for (i = 0; i < len; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	*crc = ~c;
	return KML_OK;
}
