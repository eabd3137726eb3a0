// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fixed_accuracy.c - max absolute error of the fixed-point sigmoid and
 * tanh over every int16 and int8 input, against glibc's libm, checked
 * against the bounds documented in include/kmlib/fixed.h.
 * Prints one line per function; exits 1 if a bound is exceeded.
 */
#include <math.h>
#include <stdio.h>
#include "kmlib/fixed.h"

struct act {
	const char *name;
	double (*exact)(double);
	int bits_in, bits_out; /* fraction bits of input and output */
	double bound; /* documented max absolute error */
};

static double sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

static double eval(int which, int wide, int x)
{
	if (wide)
		return which ? kml_tanh_q15((int16_t)x)
			     : kml_sigmoid_q15((int16_t)x);
	return which ? kml_tanh_q7((int8_t)x) : kml_sigmoid_q7((int8_t)x);
}

int main(void)
{
	static const struct act acts[4] = {
		{ "sigmoid_q15", sigmoid, 12, 15, 3.1e-5 },
		{ "tanh_q15", tanh, 12, 15, 4.7e-5 },
		{ "sigmoid_q7", sigmoid, 4, 7, 7.9e-3 },
		{ "tanh_q7", tanh, 4, 7, 7.9e-3 },
	};
	int a, fails = 0;

	for (a = 0; a < 4; a++) {
		int wide = a < 2, lo = wide ? -32768 : -128;
		int hi = wide ? 32767 : 127, x, worst_x = 0;
		double worst = 0;

		for (x = lo; x <= hi; x++) {
			double want = acts[a].exact(ldexp(x, -acts[a].bits_in));
			double got =
			    ldexp(eval(a & 1, wide, x), -acts[a].bits_out);
			double e = fabs(got - want);

			if (e > worst) {
				worst = e;
				worst_x = x;
			}
		}
		printf(
		    "%-12s max abs error %.3g (%.2f LSB) at x = %d, bound %.3g\n",
		    acts[a].name, worst, ldexp(worst, acts[a].bits_out),
		    worst_x, acts[a].bound);
		if (worst > acts[a].bound)
			fails++;
	}
	return fails ? 1 : 0;
}
