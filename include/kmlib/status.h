/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * status.h - the error codes every public KMLib function returns.
 *
 * 0 is success; errors are negative and equal to the Linux errno values,
 * so kernel callers can pass them on unchanged.
 */
#ifndef KMLIB_STATUS_H
#define KMLIB_STATUS_H

enum kml_status {
	KML_OK = 0,
	KML_EPERM = -1, /* operation not allowed in this context */
	KML_ENOENT = -2, /* no such item */
	KML_EINTR = -4, /* interrupted by a signal while waiting */
	KML_EIO = -5, /* I/O failed */
	KML_EAGAIN = -11, /* try again: full, empty or busy */
	KML_ENOMEM = -12, /* allocation failed or memory cap reached */
	KML_EBUSY = -16, /* resource in use */
	KML_EINVAL = -22, /* invalid argument (NULL, zero, bad value) */
	KML_ENOSPC = -28, /* buffer too small */
	KML_EDOM = -33, /* shape or dimension mismatch */
	KML_ERANGE = -34, /* value out of the representable range */
	KML_ENOSYS = -38, /* not implemented for this dtype or target */
	KML_EBADMSG = -74, /* malformed data (model file) */
	KML_EOVERFLOW = -75, /* size computation overflowed */
	KML_EILSEQ = -84, /* checksum mismatch */
	KML_ETIMEDOUT = -110, /* gave up waiting */
};

/* A short constant English name for a status, e.g. "KML_EINVAL". */
const char *kml_status_name(int status);

#endif /* KMLIB_STATUS_H */
