#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# guest-demo.sh: /payload of the main job's guest. Loads kmlib.ko and
# kmlib_demo.ko (which trains while loading), sends the demo's report
# lines to the results port (/dev/ttyS1) and unloads both modules.
res=/dev/ttyS1
insmod /files/kmlib.ko || { echo "kmlib-demo: error insmod kmlib.ko" >>$res; exit 1; }
insmod /files/kmlib_demo.ko || echo "kmlib-demo: error insmod kmlib_demo.ko" >>$res
dmesg | grep -o 'kmlib-demo: .*' >>$res
rmmod kmlib_demo && rmmod kmlib && echo "kmlib-demo-guest: unload ok" >>$res
