// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_load.c - quantized networks from untrusted bytes (nofpu). Frame
 * (magic, version, length, CRC) first; then every record's sizes are
 * read and checked before anything is allocated; then the parameters are
 * filled and the network checked as kml_qnn_check() would.
 */
#include "kmlib/qnn_model.h"
#include "kmlib/model.h"
#include "model_impl.h"
#include "qnn_model_impl.h"

const uint8_t kml_qnn_magic[8] = {
	0x89, 'K', 'M', 'Q', '\r', '\n', 0x1a, '\n'
};

static int frame(const uint8_t *p, size_t len)
{
	struct model_r r = { p, 0, len, false };
	uint32_t crc = 0, i;

	if (len < QNN_HEADER_BYTES + MODEL_CRC_BYTES)
		return KML_EBADMSG;
	for (i = 0; i < sizeof(kml_qnn_magic); i++)
		if (mr_u8(&r) != kml_qnn_magic[i])
			return KML_EBADMSG;
	if (mr_u16(&r) != QNN_FORMAT_VERSION)
		return KML_ENOSYS;
	r.pos = 32;
	if (mr_u64(&r) != len)
		return KML_EBADMSG; /* truncated, or bytes after the end */
	kml_crc32(&crc, p, len - MODEL_CRC_BYTES);
	r.pos = len - MODEL_CRC_BYTES;
	return mr_u32(&r) == crc ? KML_OK : KML_EILSEQ;
}

/*
 * Pass 1: the record heads and widths into sizes[], every record's
 * length checked against its kind; r ends at the CRC.
 */
static int scan(struct model_r *r, uint32_t n, uint32_t *sizes)
{
	uint32_t l, kind, bytes, in, out;

	for (l = 0; l < n; l++) {
		kind = mr_u16(r);
		if (mr_u16(r))
			return KML_EBADMSG;
		bytes = mr_u32(r);
		if (r->bad)
			return KML_EBADMSG;
		if (kind != QNN_KIND_LINEAR_I8)
			return KML_ENOSYS;
		if (!mr_has(r, QNN_LINEAR_HEAD_BYTES))
			return KML_EBADMSG;
		in = mr_u32(r);
		out = mr_u32(r);
		if (!in || !out || in > KML_QNN_MAX_WIDTH ||
		    out > KML_QNN_MAX_WIDTH || (l && in != sizes[l]))
			return KML_EBADMSG;
		sizes[l] = in;
		sizes[l + 1] = out;
		/* in, out <= 33025: no overflow in size_t */
		if (bytes != kml_qnn_rec_linear_bytes(in, out) ||
		    !mr_has(r, bytes - 8))
			return KML_EBADMSG;
		r->pos += bytes - 8;
	}
	return r->pos == r->len ? KML_OK : KML_EBADMSG;
}

static void get_i32s(struct model_r *r, int32_t *v, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		v[i] = (int32_t)mr_u32(r);
}

/* Pass 2: the parameters (sizes already checked by scan()). */
static void fill(struct model_r *r, struct kml_qnn *q)
{
	uint32_t l;

	for (l = 0; l < q->n_layers; l++) {
		struct kml_qnn_layer *ly = &q->layer[l];
		size_t n = (size_t)ly->in * ly->out;

		r->pos += QNN_REC_HEAD_BYTES + 8; /* head, in, out */
		ly->in_zp = (int32_t)mr_u32(r);
		ly->out_zp = (int32_t)mr_u32(r);
		ly->act_min = (int32_t)mr_u32(r);
		ly->act_max = (int32_t)mr_u32(r);
		if (mr_has(r, n)) {
			kml_memcpy(ly->weight, r->p + r->pos, n);
			r->pos += n;
		}
		get_i32s(r, ly->bias, ly->out);
		get_i32s(r, ly->mult, ly->out);
		get_i32s(r, ly->shift, ly->out);
	}
}

int kml_qnn_model_load(struct kml_mem *mem, const uint8_t *buf, size_t len,
		       size_t max_batch, struct kml_qnn **out)
{
	uint32_t sizes[KML_QNN_MAX_LAYERS + 1], n;
	struct model_r r;
	struct kml_qnn *q;
	uint64_t param_bytes;
	int err;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !buf || !max_batch)
		return KML_EINVAL;
	err = frame(buf, len);
	if (err)
		return err;
	/* the reader stops at the CRC */
	r = (struct model_r){ buf, MODEL_MAGIC_LEN + 2, len - MODEL_CRC_BYTES,
			      false };
	if (mr_u16(&r))
		return KML_EBADMSG; /* flags */
	n = mr_u32(&r);
	param_bytes = mr_u64(&r);
	if (mr_u64(&r) || !n || n > KML_QNN_MAX_LAYERS)
		return KML_EBADMSG;
	r.pos = QNN_HEADER_BYTES;
	err = scan(&r, n, sizes);
	if (err)
		return err;
	err = kml_qnn_create(&q, mem, sizes, n, max_batch);
	if (err)
		return err;
	r.pos = QNN_HEADER_BYTES;
	fill(&r, q);
	if (r.bad || param_bytes != kml_qnn_param_bytes(q) ||
	    kml_qnn_check(q)) {
		kml_qnn_destroy(q);
		return KML_EBADMSG;
	}
	*out = q;
	return KML_OK;
}
