// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * model_file.c - the user-space file helpers (platform/user/model_file.c):
 * a trained MLP with its Adam state saved to a file and loaded back gives
 * the same outputs and the same file; missing, empty, truncated and
 * too-large files give statuses and leak nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kmlib/model_file.h"
#include "test_util.h"

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b = malloc(1 << 20);

	*len = f && b ? fread(b, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return b;
}

static void write_all(const char *path, const unsigned char *b, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f && fwrite(b, 1, len, f) == len);
	if (f)
		fclose(f);
}

int main(void)
{
	char path[] = "/tmp/kmlib-model-XXXXXX", other[64];
	struct kml_nn *a = NULL, *b = NULL;
	struct kml_optim *oa = NULL, *ob = NULL;
	struct kml_optim_cfg cfg;
	struct kml_mem mem, small;
	unsigned char *bytes, *again;
	size_t len, len2, i, n;
	float *xa, *xb, *ya, *yb;
	int fd, x, y, loss, lab;
	int32_t *la;

	fd = mkstemp(path);
	if (fd < 0)
		return 2;
	close(fd);
	snprintf(other, sizeof(other), "%s.2", path);
	kml_mem_init(&mem, "model-file", 0);
	kml_nn_create(&a, &mem, KML_NN_F32, 6);
	x = kml_nn_input_vec(a, 5, 0);
	y = kml_nn_linear(a, kml_nn_relu(a, kml_nn_linear(a, x, 16, true)), 4,
			  true);
	lab = kml_nn_labels(a);
	loss = kml_nn_cross_entropy(a, y, lab, KML_NN_MEAN);
	CHECK(loss == 5);
	CHECK(!kml_nn_prepare(a, 8));
	CHECK(!kml_nn_init_params(a, 3));
	kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.01);
	CHECK(!kml_optim_create(&oa, &mem, a, &cfg));
	kml_nn_value(a, x, (void **)&xa, &n);
	kml_nn_value(a, lab, (void **)&la, NULL);
	for (i = 0; i < n; i++)
		xa[i] = (float)((i * 37) % 11) / 11.0f - 0.5f;
	for (i = 0; i < 8; i++)
		la[i] = (int32_t)(i % 4);
	for (i = 0; i < 5; i++)
		CHECK(!kml_optim_train_step(oa, loss));

	CHECK(kml_model_save_file(NULL, a, oa) == KML_EINVAL);
	CHECK(kml_model_save_file("/nonexistent-dir/m", a, oa) == KML_EIO);
	CHECK(!kml_model_save_file(path, a, oa));
	CHECK(!kml_model_load_file(path, &mem, 8, &b, &ob));
	CHECK(b && ob && kml_optim_steps(ob) == 5);
	if (!b || !ob)
		return 1;
	/* same outputs */
	kml_nn_value(b, x, (void **)&xb, NULL);
	memcpy(xb, xa, n * sizeof(float));
	kml_nn_forward(a);
	kml_nn_forward(b);
	kml_nn_value(a, y, (void **)&ya, &n);
	kml_nn_value(b, y, (void **)&yb, NULL);
	CHECK(!memcmp(ya, yb, n * sizeof(float)));
	/* the same file again */
	CHECK(!kml_model_save_file(other, b, ob));
	bytes = read_all(path, &len);
	again = read_all(other, &len2);
	CHECK(len > 1000 && len == len2 && !memcmp(bytes, again, len));
	kml_optim_destroy(ob);
	kml_nn_destroy(b);
	ob = NULL;

	/* failures: missing, empty, truncated, a cap below the file size */
	CHECK(kml_model_load_file("/nonexistent-dir/m", &mem, 8, &b, &ob) ==
	      KML_ENOENT);
	CHECK(kml_model_load_file(path, &mem, 8, NULL, NULL) == KML_EINVAL);
	write_all(other, bytes, 0);
	CHECK(kml_model_load_file(other, &mem, 8, &b, &ob) == KML_EBADMSG);
	write_all(other, bytes, len - 1);
	CHECK(kml_model_load_file(other, &mem, 8, &b, &ob) == KML_EBADMSG);
	bytes[len / 2] ^= 1;
	write_all(other, bytes, len);
	CHECK(kml_model_load_file(other, &mem, 8, &b, &ob) == KML_EILSEQ);
	CHECK(b == NULL && ob == NULL);
	kml_mem_init(&small, "small", len / 2);
	CHECK(kml_model_load_file(path, &small, 8, &b, &ob) == KML_ENOMEM);
	CHECK(kml_mem_current(&small) == 0);

	kml_optim_destroy(oa);
	kml_nn_destroy(a);
	CHECK(kml_mem_current(&mem) == 0);
	free(bytes);
	free(again);
	unlink(path);
	unlink(other);
	if (!test_failures)
		printf("model files: %zu bytes, round trip exact\n", len);
	return test_exit_status();
}
