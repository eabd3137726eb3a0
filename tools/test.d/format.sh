# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# Sourced by tools/test.sh: every hand-written C file under src/ include/
# platform/ tests/ must be what clang-format (Debian's 14, the repo's
# .clang-format) makes of it; generated files and the paths in
# tools/format-exclude.txt are skipped (tools/check-format.sh). A second.
title_format="C sources clang-formatted (tools/check-format.sh)"

test_format() {
	bash tools/check-format.sh
}
