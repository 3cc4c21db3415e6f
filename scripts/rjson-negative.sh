#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Negative controls for unit/report_rjson (the report's row reader against
# jansson): break bench/report/rjson.c on purpose, one mutation at a time,
# and check that bench/tests/unit/report_rjson.c fails for each.  Prints
# one line per mutation with the first failure the test reported; exits 1
# if a mutation survives (the test would not notice it).
#
#   scripts/rjson-negative.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rjson-neg.XXXXXX")
trap 'rm -rf "$work"' EXIT
# name | sed expression on rjson.c
mutations=(
	"\\t decoded as t|s/\\*t++ = '\\\\t';/*t++ = 't';/"
	"\\/ decoded as \\\\|s|default: /\\* '\"', '\\\\\\\\', '/' \\*/|default: if (*p == '/') { *t++ = '\\\\\\\\'; break; }|"
	"lone low surrogate accepted|s/} else if ((cp >= 0xdc00 \\&\\& cp <= 0xdfff) || !cp) {/} else if (!cp) {/"
	"\\\\u0000 accepted|s/} else if ((cp >= 0xdc00 \\&\\& cp <= 0xdfff) || !cp) {/} else if (cp >= 0xdc00 \\&\\& cp <= 0xdfff) {/"
	"raw control characters accepted|s/if (c < 0x20)\$/if (c < 0x01)/"
	"UTF-8 beyond U+10FFFF accepted|s/|| cp > 0x10ffff)/|| cp > 0x1fffff)/"
	"exponent sign ignored|s/esign = p\[i++\] == '-' ? -1 : 1;/esign = (i++, 1);/"
	"number without integer digits accepted|0,/if (!digit(r))/s//if (0)/"
	"inexact fast path (19 digits)|s/if (digits > 15)/if (digits > 19)/"
	"2^63 accepted as an integer|s/lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;/lim = (uint64_t)INT64_MAX + 1;/"
	"real overflow accepted|s/return isinf(v->u.d) \\&\\& errno == ERANGE ? -1 : 0;/return 0;/"
	"duplicate keys accepted|s|return -1; /\\* duplicate key \\*/|;|"
	"depth limit one too deep|s/#define MAX_DEPTH   2048/#define MAX_DEPTH   2049/"
)
echo "# scripts/rjson-negative.sh at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
survived=0
for m in "${mutations[@]}"; do
	name=${m%%|*}
	expr=${m#*|}
	rm -rf "$work/src" && mkdir -p "$work/src"
	cp "$repo"/bench/report/rjson.[ch] "$work/src/"
	sed -i "$expr" "$work/src/rjson.c"
	if cmp -s "$repo/bench/report/rjson.c" "$work/src/rjson.c"; then
		echo "NOT APPLIED  $name (the sed expression no longer matches)"
		survived=1
		continue
	fi
	gcc -std=c11 -D_GNU_SOURCE -O2 -I"$work/src" -o "$work/t" \
		"$repo/bench/tests/unit/report_rjson.c" "$work/src/rjson.c" \
		-lcmocka -ljansson -lm
	if out=$(HVOBENCH_SRC=$repo CMOCKA_MESSAGE_OUTPUT=stdout "$work/t" 2>&1); then
		echo "SURVIVED     $name"
		survived=1
	else
		# The test quotes its input: control bytes become '?'.
		echo "CAUGHT       $name: $(grep -m1 -E '^ERROR|error:' <<<"$out" |
			LC_ALL=C tr -c '[:print:]' '?' || echo "(failed)")"
	fi
done
exit $survived
