// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* status.c - names for status codes, for logs and test messages. */
#include "kmlib/status.h"

const char *kml_status_name(int status)
{
	/* clang-format off */
	switch (status) {
	case KML_OK: return "KML_OK";
	case KML_EPERM: return "KML_EPERM";
	case KML_ENOENT: return "KML_ENOENT";
	case KML_EINTR: return "KML_EINTR";
	case KML_EIO: return "KML_EIO";
	case KML_EAGAIN: return "KML_EAGAIN";
	case KML_ENOMEM: return "KML_ENOMEM";
	case KML_EBUSY: return "KML_EBUSY";
	case KML_EINVAL: return "KML_EINVAL";
	case KML_ENOSPC: return "KML_ENOSPC";
	case KML_EDOM: return "KML_EDOM";
	case KML_ERANGE: return "KML_ERANGE";
	case KML_ENOSYS: return "KML_ENOSYS";
	case KML_EBADMSG: return "KML_EBADMSG";
	case KML_EOVERFLOW: return "KML_EOVERFLOW";
	case KML_EILSEQ: return "KML_EILSEQ";
	case KML_ETIMEDOUT: return "KML_ETIMEDOUT";
	default: return "KML_E?";
	}
	/* clang-format on */
}
