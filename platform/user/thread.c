// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * thread.c - kml_thread on pthreads. A mutex and condition variable carry
 * wake-ups; a pending-wake flag makes a wake before sleep not get lost.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <errno.h>
#include "kmlib/platform.h"

struct kml_thread {
	pthread_t tid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	kml_thread_fn fn;
	void *arg;
	int ret;
	bool stop; /* under lock */
	bool wake_pending; /* under lock */
	kml_atomic_t stop_seen; /* lock-free copy of stop for should_stop */
};

static void *thread_main(void *p)
{
	struct kml_thread *t = p;

	t->ret = t->fn(t, t->arg);
	return NULL;
}

int kml_thread_start(struct kml_thread **out, kml_thread_fn fn, void *arg,
		     const char *name)
{
	struct kml_thread *t;

	(void)name;
	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!fn)
		return KML_EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return KML_ENOMEM;
	t->fn = fn;
	t->arg = arg;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->cond, NULL);
	if (pthread_create(&t->tid, NULL, thread_main, t)) {
		pthread_cond_destroy(&t->cond);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return KML_EAGAIN;
	}
	*out = t;
	return KML_OK;
}

int kml_thread_stop(struct kml_thread *t)
{
	int ret;

	if (!t)
		return KML_EINVAL;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	kml_atomic_store_release(&t->stop_seen, 1);
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->tid, NULL);
	ret = t->ret;
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	free(t);
	return ret;
}

bool kml_thread_should_stop(struct kml_thread *self)
{
	return self && kml_atomic_load_acquire(&self->stop_seen);
}

int kml_thread_sleep(struct kml_thread *self, uint64_t timeout_ns)
{
	struct timespec deadline;
	int ret = KML_OK;

	if (!self)
		return KML_EINVAL;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += (time_t)(timeout_ns / 1000000000u);
	deadline.tv_nsec += (long)(timeout_ns % 1000000000u);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&self->lock);
	while (!self->wake_pending && !self->stop) {
		if (pthread_cond_timedwait(&self->cond, &self->lock,
					   &deadline) == ETIMEDOUT) {
			ret = KML_ETIMEDOUT;
			break;
		}
	}
	if (self->wake_pending || self->stop)
		ret = KML_OK;
	self->wake_pending = false;
	pthread_mutex_unlock(&self->lock);
	return ret;
}

void kml_thread_wake(struct kml_thread *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->wake_pending = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
}
