#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Negative controls for the tests of the report's fast paths: break
# bench/report/rjson.c (the row reader, checked against jansson by
# unit/report_rjson), rjw.c (the JSON writer, unit/report_rjw) and
# rstats.c (sorting and Hodges-Lehmann selection, unit/report_stats) on
# purpose, one mutation at a time, and check that the test fails for each.  Prints
# one line per mutation with the first failure the test reported; exits 1
# if a mutation survives (the test would not notice it).
#
#   scripts/report-negative.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rjson-neg.XXXXXX")
trap 'rm -rf "$work"' EXIT
# file (its test: unit/report_FILE, for rstats report_stats) | name |
# sed expression on FILE.c
mutations=(
	"rjson|\\t decoded as t|s/\\*t++ = '\\\\t';/*t++ = 't';/"
	"rjson|\\/ decoded as \\\\|s|default: /\\* '\"', '\\\\\\\\', '/' \\*/|default: if (*p == '/') { *t++ = '\\\\\\\\'; break; }|"
	"rjson|lone low surrogate accepted|s/} else if ((cp >= 0xdc00 \\&\\& cp <= 0xdfff) || !cp) {/} else if (!cp) {/"
	"rjson|\\\\u0000 accepted|s/} else if ((cp >= 0xdc00 \\&\\& cp <= 0xdfff) || !cp) {/} else if (cp >= 0xdc00 \\&\\& cp <= 0xdfff) {/"
	"rjson|raw control characters accepted|s/if (c < 0x20)\$/if (c < 0x01)/"
	"rjson|UTF-8 beyond U+10FFFF accepted|s/|| cp > 0x10ffff)/|| cp > 0x1fffff)/"
	"rjson|exponent sign ignored|s/esign = p\[i++\] == '-' ? -1 : 1;/esign = (i++, 1);/"
	"rjson|number without integer digits accepted|0,/if (!digit(r))/s//if (0)/"
	"rjson|inexact fast path (19 digits)|s/if (digits > 15)/if (digits > 19)/"
	"rjson|2^63 accepted as an integer|s/lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;/lim = (uint64_t)INT64_MAX + 1;/"
	"rjson|real overflow accepted|s/return isinf(v->u.d) \\&\\& errno == ERANGE ? -1 : 0;/return 0;/"
	"rjson|duplicate keys accepted|s|return -1; /\\* duplicate key \\*/|;|"
	"rjson|depth limit one too deep|s/#define MAX_DEPTH   2048/#define MAX_DEPTH   2049/"
	"rjw|precision 11 instead of 10|s/\"%.10g\"/\"%.11g\"/"
	"rjw|no .0 after an integral real|s/n += 2;/n += 0;/"
	"rjw|lower-case \\\\u escapes|s/\"\\\\\\\\u%04X\"/\"\\\\\\\\u%04x\"/"
	"rjw|exponent keeps its +|s/\t\telse if (\*s == '+')/\t\telse if (0)/"
	"rjw|ties rounded up, not to even|s/(2 \* r == den \&\& (dq \& 1))/(2 * r == den)/"
	"rjw|fast digits one decade off|s/int s = 9 - e, e2 = q + s;/int s = 9 - e + (e > 12), e2 = q + s;/"
	"rstats|-0.0 sorted before +0.0|s/\treturn x == 0 ? dkey(0.0) : dkey(x);/\treturn dkey(x);/"
	"rstats|unstable insertion sort|s/for (; j \&\& v\[j - 1\] > x; j--)/for (; j \&\& v[j - 1] >= x; j--)/"
	"rstats|HL selection steps off the differences|s/\t\t\tlo = c.above;/\t\t\tlo = c.above + (k % 7 == 0 ? 1e-9 : 0);/"
	"rjw|tab written raw|s/rjw_raw(w, \"\\\\\\\\t\", 2);/rjw_raw(w, \"\\\\t\", 1);/"
)
echo "# scripts/report-negative.sh at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
survived=0
for m in "${mutations[@]}"; do
	IFS='|' read -r file name expr <<<"$m"
	rm -rf "$work/src" && mkdir -p "$work/src"
	cp "$repo"/bench/report/"$file".[ch] "$work/src/"
	sed -i "$expr" "$work/src/$file.c"
	if cmp -s "$repo/bench/report/$file.c" "$work/src/$file.c"; then
		echo "NOT APPLIED  $file: $name (the sed expression no longer matches)"
		survived=1
		continue
	fi
	test=report_$file
	others=()
	if [ "$file" = rstats ]; then
		# report_stats reads fixtures too: the whole report but the CLI.
		test=report_stats
		for f in "$repo"/bench/report/*.c; do
			case $f in */rcmd.c | */rstats.c) ;; *) others+=("$f") ;; esac
		done
	fi
	gcc -std=c11 -D_GNU_SOURCE -O2 -I"$work/src" -I"$repo/bench/report" \
		-I"$repo/bench/lib/core" -o "$work/t" "$repo/bench/tests/unit/$test.c" \
		"$work/src/$file.c" "${others[@]}" -lcmocka -ljansson -lm
	if out=$(HVOBENCH_SRC=$repo CMOCKA_MESSAGE_OUTPUT=stdout "$work/t" 2>&1); then
		echo "SURVIVED     $file: $name"
		survived=1
	else
		# The test quotes its input: control bytes become '?'.
		echo "CAUGHT       $file: $name: $(grep -m1 -E '^ERROR|error:' <<<"$out" |
			LC_ALL=C tr -c '[:print:]\n' '?' || echo "(failed)")"
	fi
done
exit $survived
