#!/bin/bash
# Short libFuzzer run of the report's JSON reader (bench/tests/fuzz/):
# build with clang, ASan and UBSan, seed with the report fixtures and
# Google Benchmark's samples, fuzz for HVOBENCH_FUZZ_SECONDS (default 20).
# Skipped (77) without clang or its libFuzzer runtime.  Reads no kernel
# state.
set -u
SRC=${HVOBENCH_SRC:?HVOBENCH_SRC not set}
SECS=${HVOBENCH_FUZZ_SECONDS:-20}
command -v clang >/dev/null || { echo "skip: clang not installed"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' \
	>"$T/probe.c"
if ! clang -fsanitize=fuzzer "$T/probe.c" -o "$T/probe" 2>"$T/probe.log"; then
	echo "skip: clang has no libFuzzer runtime: $(head -1 "$T/probe.log")"
	exit 77
fi

B=${HVOBENCH_CMAKE_BUILD:-$T}/fuzz-build
san="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
if ! CC=clang cmake -S "$SRC" -B "$B" -DHVOBENCH_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$san" \
	>"$T/cmake.log" 2>&1 ||
	! cmake --build "$B" --target report_fuzz_json -j "$(nproc)" \
		>"$T/build.log" 2>&1; then
	echo "FAIL: building the fuzz target"
	tail -20 "$T/cmake.log" "$T/build.log"
	exit 1
fi

mkdir -p "$T/corpus"
cp "$SRC"/bench/tests/data/report/*.json "$T/corpus/"
cp /usr/share/benchmark/gbench/Inputs/*.json "$T/corpus/" 2>/dev/null
cd "$T" || exit 1
"$B/report_fuzz_json" -max_total_time="$SECS" -max_len=16384 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 "$T/corpus" >"$T/fuzz.log" 2>&1
rc=$?
grep -E '^stat::number_of_executed_units|^Done' "$T/fuzz.log"
if [ $rc -ne 0 ] || ls crash-* leak-* timeout-* oom-* >/dev/null 2>&1; then
	echo "FAIL: fuzzer found a problem (rc=$rc)"
	grep -E 'ERROR|SUMMARY|#[0-9]+ .* in ' "$T/fuzz.log" | head -30
	for f in crash-* leak-* timeout-* oom-*; do
		[ -e "$f" ] && { echo "input $f:"; head -c 600 "$f" | od -c | head; }
	done
	exit 1
fi
echo "ok: ${SECS}s of fuzzing, no crash"
