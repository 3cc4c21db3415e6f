#!/bin/bash
# Build the tlbsim QEMU TCG plugin (bench/tlbsim) against the plugin header
# of the qemu source package (scripts/tlbsim-header.sh); prints the path of
# the .so.  `make tlbsim-plugin` runs this.
#
#   scripts/tlbsim-plugin.sh [BUILD_DIR]     (default: build)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build}
# glib (the plugin's link flags) is in the test set.
"$repo/scripts/deps.sh" test >&2
inc=$("$repo/scripts/tlbsim-header.sh" "$build/tlbsim-qemu")
cmake -S "$repo" -B "$build" -DHVOBENCH_QEMU_PLUGIN_INCLUDE="$inc" >/dev/null
cmake --build "$build" --target tlbsim_plugin -j "$(nproc)" >&2
echo "$(cd "$build" && pwd)/tlbsim.so"
