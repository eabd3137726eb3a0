/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * shared.h - the ABI of shared mode (docs/shared-mode.md): kmlib.ko's
 * misc device /dev/kmlib, through which user space trains on samples a
 * kernel client collects and sends parameters back. Fixed-width fields
 * only, laid out the same for every compiler; ioctl numbers are spelled
 * out with the generic Linux encoding so that neither side needs the
 * other's headers (the kernel checks them against _IOWR() at build time).
 *
 * One open file attaches to one channel by name (KML_SHM_IOC_ATTACH); a
 * channel accepts one attached file at a time. Then
 *  - mmap(offset KML_SHM_OFF_RING, length ring_bytes, PROT_READ) maps the
 *    sample ring: a header page written by the kernel, then capacity
 *    slots of slot_size bytes: a 64-bit sequence word and the record;
 *  - mmap(offset KML_SHM_OFF_CONS, length cons_bytes, PROT_READ|PROT_WRITE,
 *    MAP_SHARED) maps the consumer page: user space stores its position
 *    there; the kernel only reads and bounds-checks it;
 *  - mmap(offset KML_SHM_OFF_PARAM, length
 *    KML_SHM_PARAM_AREA_BYTES(param_bytes), PROT_READ|PROT_WRITE,
 *    MAP_SHARED) maps this file's parameter staging area: user space
 *    writes parameters there and publishes them with KML_SHM_PUB_AREA;
 *  - mmap(offset KML_SHM_OFF_WEIGHTS, length
 *    KML_SHM_WEIGHTS_BYTES(param_bytes), PROT_READ) maps the channel's
 *    current parameters, read-only (struct kml_shm_weights);
 *  - KML_SHM_IOC_WAIT, poll() or epoll wait for records;
 *  - KML_SHM_IOC_PUBLISH sends parameters (validated by the kernel);
 *  - KML_SHM_IOC_PARAMS reads the parameters the kernel uses now;
 *  - KML_SHM_IOC_STATS returns the counters.
 */
#ifndef KMLIB_SHARED_H
#define KMLIB_SHARED_H

#include "kml_deps.h"

#define KML_SHM_ABI_VERSION 1u
#define KML_SHM_DEVICE "/dev/kmlib"
#define KML_SHM_NAME_MAX 32u /* bytes, NUL included */
#define KML_SHM_MAX_DIMS 4u
#define KML_SHM_META 4u
#define KML_SHM_PAGE 4096u

/* Limits the kernel enforces at channel creation. */
#define KML_SHM_MAX_RECORD 4096u
#define KML_SHM_MAX_CAPACITY (1u << 20)
#define KML_SHM_MAX_RING_BYTES (64u << 20)
#define KML_SHM_MAX_PARAM_BYTES (16u << 20)

/* mmap offsets (bytes) */
#define KML_SHM_OFF_RING 0ull
#define KML_SHM_OFF_CONS (1ull << 32)
#define KML_SHM_OFF_PARAM (2ull << 32)
#define KML_SHM_OFF_WEIGHTS (3ull << 32)

/* Length of the parameter area mapping: param_bytes rounded up to pages. */
#define KML_SHM_PARAM_AREA_BYTES(param_bytes)                                  \
	(((uint64_t)(param_bytes) + KML_SHM_PAGE - 1) &                        \
	 ~(uint64_t)(KML_SHM_PAGE - 1))

/* dtype of the parameters (and, for information, of the records) */
enum kml_shm_dtype {
	KML_SHM_F32 = 1, /* IEEE binary32: NaN and infinities refused */
	KML_SHM_F64 = 2, /* IEEE binary64: NaN and infinities refused */
	KML_SHM_I32 = 3, /* fixed point or integers: any bit pattern */
};

/* ---- mapped areas ------------------------------------------------------ */

#define KML_SHM_RING_MAGIC 0x4b4d4c52u /* "KMLR" */

/* First page of the ring mapping. Written by the kernel only. */
struct kml_shm_ring_hdr {
	uint32_t magic;
	uint32_t abi_version;
	uint32_t record_size; /* bytes of one record */
	uint32_t slot_size; /* 8 + record_size rounded up to 8 */
	uint64_t capacity; /* slots, a power of two */
	uint64_t data_offset; /* of slot 0 from the start of the mapping */
	uint64_t head; /* positions handed to producers so far (hint) */
};

/*
 * Slot i (at data_offset + i * slot_size): the sequence word, then the
 * record. The sequence word is pos + 1 once record pos (a position
 * counts records from 0 and never wraps) is complete, KML_SHM_SEQ_BUSY
 * while a producer writes it. A reader at position pos copies the record
 * when seq == pos + 1 and keeps the copy if seq still equals pos + 1
 * afterwards (it changes only if the reader let the slot be reused).
 */
#define KML_SHM_SEQ_BUSY (~0ull)

/* The consumer page: user space writes, the kernel reads and checks. */
struct kml_shm_cons {
	uint64_t tail; /* next position user space will read */
};

/*
 * The read-only view of the parameters the kernel uses (per channel,
 * written by the kernel at creation and after each accepted publication):
 * the header, then param_bytes of parameters at offset 16. A reader loads
 * seq (acquire), retries while it is odd, copies, and keeps the copy if
 * seq is unchanged afterwards (kml_shu_weights() does this).
 */
struct kml_shm_weights {
	uint64_t seq; /* odd while the kernel rewrites the view */
	uint64_t version; /* user version of these parameters, 0 initial */
};

#define KML_SHM_WEIGHTS_BYTES(param_bytes)                                     \
	KML_SHM_PARAM_AREA_BYTES(sizeof(struct kml_shm_weights) +              \
				 (uint64_t)(param_bytes))

/* ---- ioctls ------------------------------------------------------------ */

struct kml_shm_attach {
	char name[KML_SHM_NAME_MAX]; /* in: the channel, NUL-terminated */
	uint32_t abi_version; /* in: KML_SHM_ABI_VERSION */
	uint32_t flags; /* in: 0 */
	/* out: */
	uint32_t record_size;
	uint32_t slot_size;
	uint64_t capacity;
	uint64_t ring_bytes; /* length to map at KML_SHM_OFF_RING */
	uint64_t cons_bytes; /* length to map at KML_SHM_OFF_CONS */
	uint64_t tail; /* position to start reading at */
	uint64_t param_bytes;
	uint32_t dtype; /* of the parameters, enum kml_shm_dtype */
	uint32_t ndim;
	uint32_t shape[KML_SHM_MAX_DIMS];
	uint32_t meta[KML_SHM_META]; /* the client's description of records */
};

struct kml_shm_wait {
	uint64_t timeout_ns; /* in: 0 = do not sleep */
	uint64_t available; /* out: complete records at the tail (hint) */
};

struct kml_shm_publish {
	uint64_t data; /* user address of the parameters */
	uint64_t length; /* bytes, must equal param_bytes */
	uint64_t version; /* must be greater than every accepted one */
	uint32_t dtype; /* must equal the channel's */
	uint32_t ndim; /* must equal the channel's */
	uint32_t shape[KML_SHM_MAX_DIMS]; /* must equal; unused dims 0 */
	uint32_t flags; /* 0 or KML_SHM_PUB_AREA */
	uint32_t reserved; /* 0 */
};

/*
 * PUBLISH flag: take the parameters from this file's mapped parameter
 * area (data must be 0). The kernel copies the area first and validates
 * and publishes only its own copy, so user space rewriting the area
 * meanwhile can get the publication refused or published as one
 * consistent (if mixed) snapshot, never change what was validated.
 */
#define KML_SHM_PUB_AREA 1u

struct kml_shm_params {
	uint64_t data; /* in: user address to copy the parameters to */
	uint64_t length; /* in: bytes, at least param_bytes */
	uint64_t version; /* out: user version (0: the client's initial) */
};

struct kml_shm_stats {
	uint64_t produced; /* records the client pushed, dropped included */
	uint64_t dropped; /* pushes refused because the ring was full */
	uint64_t consumed; /* the consumer position the kernel accepted */
	uint64_t available; /* complete records not yet consumed (hint) */
	uint64_t published; /* accepted publications */
	uint64_t rejected; /* refused publications */
	uint64_t version; /* latest accepted user version */
	uint64_t bad_tail; /* consumer positions out of bounds, ignored */
	uint32_t attached; /* 1 while a file is attached */
	uint32_t dead; /* 1 once the client destroyed the channel */
};

/* The generic Linux encoding: dir(2) size(14) type(8) nr(8). */
#define KML_SHM_IOC_NONE 0u
#define KML_SHM_IOC_WRITE 1u /* user space writes, the kernel reads */
#define KML_SHM_IOC_READ 2u
#define KML_SHM_IOC_TYPE 0xCBu
#define KML_SHM_IOC(dir, nr, size)                                             \
	((uint32_t)(((dir) << 30) | ((uint32_t)(size) << 16) |                 \
		    (KML_SHM_IOC_TYPE << 8) | (nr)))

#define KML_SHM_IOC_ATTACH                                                     \
	KML_SHM_IOC(KML_SHM_IOC_READ | KML_SHM_IOC_WRITE, 1,                   \
		    sizeof(struct kml_shm_attach))
#define KML_SHM_IOC_WAIT                                                       \
	KML_SHM_IOC(KML_SHM_IOC_READ | KML_SHM_IOC_WRITE, 2,                   \
		    sizeof(struct kml_shm_wait))
#define KML_SHM_IOC_PUBLISH                                                    \
	KML_SHM_IOC(KML_SHM_IOC_WRITE, 3, sizeof(struct kml_shm_publish))
#define KML_SHM_IOC_PARAMS                                                     \
	KML_SHM_IOC(KML_SHM_IOC_READ | KML_SHM_IOC_WRITE, 4,                   \
		    sizeof(struct kml_shm_params))
#define KML_SHM_IOC_STATS                                                      \
	KML_SHM_IOC(KML_SHM_IOC_READ, 5, sizeof(struct kml_shm_stats))

#endif /* KMLIB_SHARED_H */
