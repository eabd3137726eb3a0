// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trainer.c - creating and freeing a trainer, and its hot-path entry
 * points (add, notify, submit, collect, trusted, stats). No float code:
 * the real numbers in the configuration are copied as bytes and read only
 * by trainer_compute.c.
 */
#include "trainer_internal.h"

static bool cfg_valid(const struct kml_trainer_cfg *c)
{
	uint32_t max_out = KML_TRAINER_MAX_OUTPUTS;

	if (!c->build || !c->optim || !c->n_features || !c->batch ||
	    !c->publish_every || c->ring_capacity < c->batch ||
	    c->train_threads > KML_TRAINER_MAX_THREADS ||
	    c->infer_threads > KML_TRAINER_MAX_THREADS ||
	    c->readers > KML_TRAINER_MAX_THREADS ||
	    c->max_cpu_ppm > KML_GATE_PPM)
		return false;
	if (c->task == KML_TRAINER_REGRESSION) {
		if (c->n_outputs < 1 || c->n_outputs > max_out)
			return false;
		if (c->gate.window && c->gate.n_classes != 2)
			return false;
	} else if (c->task == KML_TRAINER_CLASSIFY) {
		if (c->n_outputs < 2 || c->n_outputs > max_out)
			return false;
		if (c->gate.window && c->gate.n_classes != c->n_outputs)
			return false;
	} else {
		return false;
	}
	if (c->infer_threads && !c->request_capacity)
		return false;
	return true;
}

/* Check that a built model has the shapes the configuration says. */
static int check_model(struct kml_trainer *tr, struct kml_trainer_model *m)
{
	size_t in, out, tgt;
	int ret;

	if (!m->net)
		return KML_EINVAL;
	ret = kml_nn_node_size(m->net, m->input, &in);
	ret = ret ?: kml_nn_node_size(m->net, m->output, &out);
	ret = ret ?: kml_nn_node_size(m->net, m->target, &tgt);
	if (ret)
		return ret;
	if (in != tr->cfg.n_features || out != tr->cfg.n_outputs ||
	    tgt != (tr->cfg.task == KML_TRAINER_CLASSIFY ? 1 : out) ||
	    m->loss < 0)
		return KML_EDOM;
	return kml_nn_set_batch(m->net, tr->cfg.batch);
}

static int build_model(struct kml_trainer *tr, struct kml_trainer_model *m,
		       void **params, size_t *bytes)
{
	void *grads;
	size_t n, b;
	int ret;

	kml_memset(m, 0, sizeof(*m));
	ret = tr->cfg.build(tr->mem, tr->cfg.batch, tr->cfg.build_arg, m);
	if (ret) {
		m->net = NULL; /* the callback freed it */
		return ret < 0 ? ret : KML_EINVAL;
	}
	ret = check_model(tr, m);
	ret = ret ?: kml_nn_params(m->net, params, &grads, &n);
	if (ret)
		return ret;
	if (!tr->elem)
		tr->elem = kml_nn_dtype_of(m->net) == KML_NN_F64 ? 8 : 4;
	if (kml_nn_dtype_of(m->net) != kml_nn_dtype_of(tr->model.net))
		return KML_EDOM;
	if (!kml_size_mul(n, tr->elem, &b))
		return KML_EOVERFLOW;
	if (*bytes && *bytes != b)
		return KML_EDOM; /* the callback built a different net */
	*bytes = b;
	return KML_OK;
}

static int create_sizes(struct kml_trainer *tr)
{
	const struct kml_trainer_cfg *c = &tr->cfg;
	size_t v;

	if (!kml_size_mul(c->n_features, tr->elem, &tr->feat_bytes) ||
	    !kml_size_mul(c->n_outputs, tr->elem, &tr->out_bytes) ||
	    !kml_size_add(tr->feat_bytes, 8, &tr->req_size))
		return KML_EOVERFLOW;
	tr->target_bytes = c->task == KML_TRAINER_CLASSIFY ? 4 : tr->out_bytes;
	if (!kml_size_add(tr->feat_bytes, tr->target_bytes, &tr->record_size))
		return KML_EOVERFLOW;
	if (!kml_size_mul(tr->record_size, c->batch, &v))
		return KML_EOVERFLOW;
	return KML_OK;
}

static int create_rings(struct kml_trainer *tr)
{
	const struct kml_trainer_cfg *c = &tr->cfg;
	struct kml_ring_config rc = { .capacity = c->ring_capacity,
				      .record_size = tr->record_size,
				      .mode = c->ring_mode,
				      .flags = c->ring_flags,
				      .spin_ns = c->ring_spin_ns };
	int ret;

	ret = kml_ring_create(&tr->ring, tr->mem, &rc);
	if (ret || !c->request_capacity)
		return ret;
	rc.capacity = c->request_capacity;
	rc.record_size = tr->req_size;
	rc.mode = KML_RING_DROP_NEWEST;
	rc.flags = KML_RING_MP;
	rc.spin_ns = 0;
	ret = kml_ring_create(&tr->req, tr->mem, &rc);
	rc.record_size = sizeof(struct kml_trainer_result);
	rc.mode = KML_RING_DROP_OLDEST;
	return ret ?: kml_ring_create(&tr->res, tr->mem, &rc);
}

/* Buffers for answering a batch of requests (an infer thread or poll). */
static int alloc_req_bufs(struct kml_trainer *tr, void **req, void **res)
{
	int ret;

	ret = kml_alloc_array(tr->mem, tr->cfg.batch, tr->req_size, 0, req);
	return ret
		   ?: kml_alloc_array(tr->mem, tr->cfg.batch,
				      sizeof(struct kml_trainer_result), 0,
				      res);
}

static int create_readers(struct kml_trainer *tr)
{
	uint32_t i;
	int ret;

	tr->n_readers =
	    tr->cfg.readers + tr->n_infer + (tr->req && !tr->n_infer ? 1 : 0);
	if (!tr->n_readers)
		return KML_OK;
	ret = kml_alloc_array(tr->mem, tr->n_readers, sizeof(*tr->readers),
			      KML_MEM_ZERO, (void **)&tr->readers);
	for (i = 0; !ret && i < tr->n_readers; i++) {
		struct kml_trainer_reader *rd = &tr->readers[i];
		size_t bytes = tr->param_bytes;

		ret = build_model(tr, &rd->model, &rd->params, &bytes);
	}
	for (i = 0; !ret && i < tr->n_infer; i++) {
		struct kml_trainer_worker *w = &tr->infer[i];

		w->reader = &tr->readers[tr->cfg.readers + i];
		ret = alloc_req_bufs(tr, &w->req_buf, &w->res_buf);
	}
	if (!ret && tr->req && !tr->n_infer)
		ret = alloc_req_bufs(tr, &tr->poll_req_buf, &tr->poll_res_buf);
	return ret;
}

static int create_parts(struct kml_trainer *tr)
{
	const struct kml_trainer_cfg *c = &tr->cfg;
	int ret;

	ret = build_model(tr, &tr->model, &tr->params, &tr->param_bytes);
	ret = ret ?: create_sizes(tr);
	if (ret)
		return ret;
	ret = kml_optim_create(&tr->opt, tr->mem, tr->model.net, c->optim);
	if (ret)
		return ret;
	if (!kml_fpu_begin())
		return KML_EPERM;
	ret = kml_trainer_fpu_init(tr);
	kml_fpu_end();
	ret = ret
		  ?: kml_pub_create(&tr->pub, tr->mem, tr->param_bytes, 3,
				    tr->params);
	ret = ret ?: create_rings(tr);
	ret = ret
		  ?: kml_alloc_array(tr->mem, c->batch, tr->record_size, 0,
				     &tr->batch_buf);
	if (!ret && c->gate.window) {
		ret = kml_gate_create(&tr->gate, tr->mem, &c->gate);
		ret = ret
			  ?: kml_alloc_array(tr->mem, c->batch, 4, 0,
					     (void **)&tr->gate_pred);
		ret = ret
			  ?: kml_alloc_array(tr->mem, c->batch, 4, 0,
					     (void **)&tr->gate_truth);
	}
	return ret ?: create_readers(tr);
}

int kml_trainer_create(struct kml_trainer **out, struct kml_mem *mem,
		       const struct kml_trainer_cfg *cfg)
{
	struct kml_trainer *tr;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !cfg || !cfg_valid(cfg))
		return KML_EINVAL;
	ret = kml_alloc(mem, sizeof(*tr), KML_MEM_ZERO, (void **)&tr);
	if (ret)
		return ret;
	tr->mem = mem;
	kml_memcpy(&tr->cfg, cfg, sizeof(*cfg));
	tr->n_train = cfg->train_threads;
	tr->n_infer = cfg->infer_threads;
	kml_atomic_set(&tr->need, (int)cfg->batch);
	ret = create_parts(tr);
	ret = ret ?: kml_trainer_start_threads(tr);
	if (ret) {
		kml_trainer_destroy(tr);
		return ret;
	}
	*out = tr;
	return KML_OK;
}

int kml_trainer_stop(struct kml_trainer *tr)
{
	if (!tr)
		return KML_EINVAL;
	kml_trainer_stop_threads(tr);
	/* what was trained since the last publication becomes visible */
	if (tr->since_publish || tr->publish_pending) {
		tr->since_publish = 0;
		kml_trainer_publish_now(tr);
	}
	return KML_OK;
}

void kml_trainer_destroy(struct kml_trainer *tr)
{
	uint32_t i;

	if (!tr)
		return;
	kml_trainer_stop_threads(tr);
	for (i = 0; i < KML_TRAINER_MAX_THREADS; i++) {
		kml_free(tr->mem, tr->infer[i].req_buf);
		kml_free(tr->mem, tr->infer[i].res_buf);
	}
	for (i = 0; tr->readers && i < tr->n_readers; i++)
		kml_nn_destroy(tr->readers[i].model.net);
	kml_free(tr->mem, tr->readers);
	kml_free(tr->mem, tr->poll_req_buf);
	kml_free(tr->mem, tr->poll_res_buf);
	kml_free(tr->mem, tr->gate_pred);
	kml_free(tr->mem, tr->gate_truth);
	kml_gate_destroy(tr->gate);
	kml_free(tr->mem, tr->batch_buf);
	kml_ring_destroy(tr->res);
	kml_ring_destroy(tr->req);
	kml_ring_destroy(tr->ring);
	kml_pub_destroy(tr->pub);
	kml_optim_destroy(tr->opt);
	kml_nn_destroy(tr->model.net);
	kml_free(tr->mem, tr);
}

/* ---- hot path -------------------------------------------------------- */

void kml_trainer_notify(struct kml_trainer *tr)
{
	struct kml_trainer_worker *w;
	int need;

	if (!tr || !tr->n_train || !kml_trainer_wake_enter(tr))
		return;
	/* the barrier above pairs with the one a worker makes after
	 * setting idle: either it sees our record or we see it idle */
	w = &tr->train[kml_atomic_load_acquire(&tr->turn)];
	need = kml_atomic_read(&tr->need);
	if (kml_atomic_read(&w->idle) &&
	    kml_ring_count(tr->ring) >= (size_t)(need > 0 ? need : 1))
		kml_thread_wake(w->th);
	kml_trainer_wake_exit(tr);
}

int kml_trainer_add(struct kml_trainer *tr, const void *record)
{
	int ret;

	if (!tr || !record)
		return KML_EINVAL;
	ret = kml_ring_enqueue(tr->ring, record);
	if (ret == KML_OK)
		kml_trainer_notify(tr);
	return ret;
}

struct kml_ring *kml_trainer_ring(struct kml_trainer *tr)
{
	return tr ? tr->ring : NULL;
}

int kml_trainer_submit(struct kml_trainer *tr, const void *features,
		       uint64_t cookie)
{
	uint8_t buf[8 + KML_TRAINER_MAX_OUTPUTS * 8];
	uint32_t i;
	int ret;

	if (!tr || !features)
		return KML_EINVAL;
	if (!tr->req)
		return KML_ENOSYS;
	if (tr->req_size > sizeof(buf))
		return KML_ENOSPC; /* too many features to stage on the stack */
	kml_memcpy(buf, &cookie, 8);
	kml_memcpy(buf + 8, features, tr->feat_bytes);
	ret = kml_ring_enqueue(tr->req, buf);
	if (ret)
		return ret;
	if (!tr->n_infer || !kml_trainer_wake_enter(tr))
		return KML_OK;
	for (i = 0; i < tr->n_infer; i++) {
		if (kml_atomic_read(&tr->infer[i].idle)) {
			kml_thread_wake(tr->infer[i].th);
			break;
		}
	}
	kml_trainer_wake_exit(tr);
	return KML_OK;
}

int kml_trainer_collect(struct kml_trainer *tr, struct kml_trainer_result *res)
{
	if (!tr || !res)
		return KML_EINVAL;
	if (!tr->res)
		return KML_ENOSYS;
	return kml_ring_dequeue(tr->res, res);
}

bool kml_trainer_trusted(const struct kml_trainer *tr)
{
	return tr && kml_gate_trusted(tr->gate);
}

int kml_trainer_gate_stats(const struct kml_trainer *tr,
			   struct kml_gate_stats *st)
{
	if (!tr || !st)
		return KML_EINVAL;
	if (!tr->gate)
		return KML_ENOSYS;
	return kml_gate_get_stats(tr->gate, st);
}

int kml_trainer_stats(const struct kml_trainer *tr,
		      struct kml_trainer_stats *st)
{
	uint32_t i;

	if (!tr || !st)
		return KML_EINVAL;
	kml_memset(st, 0, sizeof(*st));
	st->batches = kml_atomic64_read(&tr->batches);
	st->samples = kml_atomic64_read(&tr->samples);
	st->published = kml_atomic64_read(&tr->published);
	st->publish_busy = kml_atomic64_read(&tr->publish_busy);
	st->step_errors = kml_atomic64_read(&tr->step_errors);
	st->last_error = kml_atomic_read(&tr->last_error);
	st->throttled = kml_atomic64_read(&tr->throttled);
	st->busy_ns = kml_atomic64_read(&tr->busy_ns);
	st->answered = kml_atomic64_read(&tr->answered);
	for (i = 0; i < KML_TRAINER_MAX_THREADS; i++)
		st->per_thread[i] = kml_atomic64_read(&tr->per_thread[i]);
	kml_pub_version(tr->pub, &st->version);
	return kml_ring_stats(tr->ring, &st->ring);
}

size_t kml_trainer_record_size(const struct kml_trainer *tr)
{
	return tr ? tr->record_size : 0;
}

int kml_trainer_read_params(struct kml_trainer *tr, void *dst, size_t size)
{
	if (!tr || !dst)
		return KML_EINVAL;
	if (size != tr->param_bytes)
		return KML_ENOSPC;
	if (tr->n_train && !kml_atomic_load_acquire(&tr->stopping))
		return KML_EBUSY; /* a thread may be stepping */
	kml_memcpy(dst, tr->params, size);
	return KML_OK;
}

int kml_trainer_poll(struct kml_trainer *tr, uint32_t max_batches,
		     uint32_t *done)
{
	uint32_t n = 0;
	int ret = KML_OK;

	if (done)
		*done = 0;
	if (!tr)
		return KML_EINVAL;
	if (tr->n_train)
		return KML_EBUSY;
	while (!max_batches || n < max_batches) {
		ret = kml_trainer_do_batch(tr, 0, NULL);
		if (ret <= 0)
			break;
		n++;
	}
	if (ret > 0)
		ret = KML_OK;
	if (done)
		*done = n;
	while (ret >= 0 && tr->req && !tr->n_infer &&
	       kml_trainer_do_requests(tr, &tr->readers[tr->n_readers - 1],
				       tr->poll_req_buf, tr->poll_res_buf) > 0)
		;
	return ret;
}
