#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# deps.sh - sourced by the top-level commands: install the Debian packages
# a step needs when they are missing (as root, with apt-get), or say which
# ones to install when not root.

KML_APT_UPDATED=${KML_APT_UPDATED:-0}

# kml_need PKG... : make sure every named Debian package is installed.
kml_need() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "kmlib: missing Debian packages: ${missing[*]}" >&2
		echo "kmlib: run as root, or: sudo apt-get install ${missing[*]}" >&2
		return 1
	fi
	echo "kmlib: installing ${missing[*]}"
	if [ "$KML_APT_UPDATED" = 0 ]; then
		apt-get update -q >/dev/null || return 1
		KML_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null || return 1
}

# The kernel ABI the Debian headers meta package points at (never uname -r).
kml_kver() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*\)-amd64.*/\1/p'
}

KML_BUILD_PKGS=(build-essential meson ninja-build pkg-config python3 libcmocka-dev)
KML_CHECK_PKGS=(valgrind clang libclang-rt-14-dev)
KML_KERNEL_PKGS=(linux-headers-amd64 qemu-system-x86 busybox-static cpio xz-utils)
KML_SCHED_PKGS=(fio)

# kml_need_source_pkg VERSION: linux-source-6.1 at exactly VERSION (the
# installed headers' version: the private block headers must match the
# kernel the modules are built for). Installs or re-pins it as root.
kml_need_source_pkg() {
	local want=$1 have
	have=$(dpkg-query -W -f='${Status} ${Version}' linux-source-6.1 2>/dev/null)
	[ "$have" = "install ok installed $want" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "kmlib: need linux-source-6.1=$want (installed: ${have:-none})" >&2
		echo "kmlib: run as root, or: sudo apt-get install linux-source-6.1=$want" >&2
		return 1
	fi
	echo "kmlib: installing linux-source-6.1=$want"
	if [ "$KML_APT_UPDATED" = 0 ]; then
		apt-get update -q >/dev/null || return 1
		KML_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"linux-source-6.1=$want" >/dev/null
}
