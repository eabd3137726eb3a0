/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * linreg.h - the model kmlib-trainer trains: one linear layer with bias
 * on float32 records (n_in features, then n_out targets) under MSE,
 * built from libkmlib's nn and optim. Parameters, as published: W
 * (n_out x n_in, row-major) then b (n_out), float32.
 */
#ifndef KMLIB_TRAINER_LINREG_H
#define KMLIB_TRAINER_LINREG_H

#include <stddef.h>
#include <stdint.h>

struct linreg;

int linreg_create(struct linreg **out, uint32_t n_in, uint32_t n_out,
		  uint32_t batch, double lr, uint64_t seed);
void linreg_destroy(struct linreg *m);
/*
 * One SGD step on @batch records (the batch given at create). *@loss:
 * the batch's MSE before the step; *@hits: predictions within @tol of
 * their target (before the step).
 */
int linreg_step(struct linreg *m, const float *recs, double tol, double *loss,
		uint32_t *hits);
/* The parameters in the published layout (params_bytes of them). */
int linreg_get(struct linreg *m, void *dst, size_t size);
int linreg_set(struct linreg *m, const void *src, size_t size);
size_t linreg_params_bytes(const struct linreg *m);

#endif /* KMLIB_TRAINER_LINREG_H */
