# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: the model loader under libFuzzer with ASan and
# UBSan (tests/fuzz/fuzz_model_load.c), built by one clang command from
# every area's sources.list, run from the committed seed corpus for a
# bounded number of inputs. Any crash, sanitizer report, leak or broken
# property (see the target's comment) fails the step; libFuzzer leaves the
# input that did it in $out/fuzz/.
title_fuzz="model loader under libFuzzer (${KML_FUZZ_RUNS:-500000} runs)"

test_fuzz() {
	local dir="$out/fuzz" srcs=() area
	kml_need clang libclang-rt-14-dev || return 1
	mkdir -p "$dir/corpus" || return 1
	# every area: the quantized-model loader in src/model/ calls src/qnn/
	for area in $(awk '{ sub(/#.*/, "") } NF { print $1 }' src/areas.list); do
		[ -f "src/$area/sources.list" ] || continue
		srcs+=($(awk -v d="src/$area/" '{ sub(/#.*/, "") } NF >= 1 { print d $1 }' \
			"src/$area/sources.list"))
	done
	clang -std=gnu11 -O1 -g -Iinclude -ffp-contract=off -fno-strict-aliasing \
		-fno-math-errno -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o "$dir/fuzz_model_load" \
		tests/fuzz/fuzz_model_load.c "${srcs[@]}" platform/user/memory.c \
		platform/user/thread.c platform/user/fpu.c platform/user/log_clock.c \
		-lpthread -lm || return 1
	# a scratch copy: new inputs libFuzzer finds stay out of the tree
	cp tests/fuzz/corpus/* "$dir/corpus/" || return 1
	(cd "$dir" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		./fuzz_model_load -runs="${KML_FUZZ_RUNS:-500000}" \
		-max_total_time="${KML_FUZZ_SECONDS:-300}" -max_len=8192 \
		-rss_limit_mb=2048 -timeout=20 -print_final_stats=1 corpus)
}
