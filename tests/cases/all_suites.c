// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * all_suites.c - the list of shared suites, in run order. Add a suite here
 * and its file to tests/cases/sources.list; both runners pick it up.
 */
#include "../ktest.h"

extern const struct kt_suite kt_suite_platform;
extern const struct kt_suite kt_suite_prng;
extern const struct kt_suite kt_suite_prng_float;
extern const struct kt_suite kt_suite_linalg;
extern const struct kt_suite kt_suite_nn_api;
extern const struct kt_suite kt_suite_nn_run;
extern const struct kt_suite kt_suite_nn_grad;
extern const struct kt_suite kt_suite_nn_golden;
extern const struct kt_suite kt_suite_nn_train;
extern const struct kt_suite kt_suite_nn_golden_seq;
extern const struct kt_suite kt_suite_nn_layers;
extern const struct kt_suite kt_suite_tensor;
extern const struct kt_suite kt_suite_kmath;

extern const struct kt_suite kt_suite_ring;
extern const struct kt_suite kt_suite_ring_stress;
extern const struct kt_suite kt_suite_publish;
extern const struct kt_suite kt_suite_ring_compact;
extern const struct kt_suite kt_suite_ring_stress_compact;
extern const struct kt_suite kt_suite_publish_compact;
extern const struct kt_suite kt_suite_fixed;
extern const struct kt_suite kt_suite_quant;
extern const struct kt_suite kt_suite_gate;
extern const struct kt_suite kt_suite_trainer;
extern const struct kt_suite kt_suite_model;
extern const struct kt_suite kt_suite_model_roundtrip;
extern const struct kt_suite kt_suite_qnn;
extern const struct kt_suite kt_suite_qnn_convert;
extern const struct kt_suite kt_suite_qnn_ops;
extern const struct kt_suite kt_suite_qnn_ops_fpu;
extern const struct kt_suite kt_suite_qtrain;
extern const struct kt_suite kt_suite_qnn_model;
extern const struct kt_suite kt_suite_qseq_model;

/* clang-format off */
const struct kt_suite *const kt_all_suites[] = {
	&kt_suite_platform,
	&kt_suite_prng,
	&kt_suite_prng_float,
	&kt_suite_linalg,
	&kt_suite_nn_api,
	&kt_suite_nn_run,
	&kt_suite_nn_grad,
	&kt_suite_nn_golden,
	&kt_suite_nn_train,
	&kt_suite_nn_golden_seq,
	&kt_suite_nn_layers,
	&kt_suite_tensor,
	&kt_suite_kmath,
	&kt_suite_ring,
	&kt_suite_ring_stress,
	&kt_suite_publish,
	&kt_suite_ring_compact,
	&kt_suite_ring_stress_compact,
	&kt_suite_publish_compact,
	&kt_suite_fixed,
	&kt_suite_quant,
	&kt_suite_gate,
	&kt_suite_trainer,
	&kt_suite_model,
	&kt_suite_model_roundtrip,
	&kt_suite_qnn,
	&kt_suite_qnn_convert,
	&kt_suite_qnn_ops,
	&kt_suite_qnn_ops_fpu,
	&kt_suite_qtrain,
	&kt_suite_qnn_model,
	&kt_suite_qseq_model,
};
/* clang-format on */

const size_t kt_n_suites = KML_ARRAY_SIZE(kt_all_suites);
