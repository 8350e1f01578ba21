#!/bin/sh
# Runs every test of ravpn: unit tests (with ASan/UBSan), bounded libFuzzer
# runs, and interop tests in network namespaces against real peers.  Prints
# one line per test and a final "N passed, N failed" summary.
#   FUZZ_SECONDS (default 20) bounds each fuzz target.
#   ONLY=unit|fuzz|interop runs one group.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
passed=0
failed=0
failures=""
record() { # name status
	if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   $1"
	else failed=$((failed + 1)); failures="$failures $1"; echo "FAIL $1"; fi
}
group() { [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ]; }

# ---- build (ASan + UBSan) ----
if [ ! -f build/build.ninja ]; then
	meson setup build -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 1
fi
ninja -C build >/tmp/ravpn-build.log 2>&1 || { cat /tmp/ravpn-build.log; echo "0 passed, 1 failed"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# ---- unit ----
if group unit; then
	for t in $(find build/tests/unit -maxdepth 2 -type f -name 'test_*' -perm -u+x | sort); do
		out=$($t 2>&1); rc=$?
		echo "$out" | grep -E '^(ok|FAIL) ' | sed "s|^\(ok\|FAIL\) *|&$(basename $t)/|" | while read -r l; do echo "$l"; done
		np=$(echo "$out" | grep -c '^ok ')
		nf=$(echo "$out" | grep -c '^FAIL ')
		passed=$((passed + np)); failed=$((failed + nf))
		if [ $rc -ne 0 ] && [ "$nf" = 0 ]; then
			record "$(basename $t)(exit $rc)" 1
		fi
		[ "$nf" = 0 ] || { failures="$failures $(basename $t)"; echo "$out" | grep -v '^ok ' | head -40; }
	done
fi

# ---- fuzz (clang + libFuzzer, bounded) ----
if group fuzz; then
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	fi
	if ninja -C build-fuzz >/tmp/ravpn-fuzz-build.log 2>&1; then
		for f in $(find build-fuzz/tests/fuzz -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x | sort); do
			name=$(basename "$f")
			corpus=tests/fuzz/corpus/${name#fuzz_}
			work=$(mktemp -d)
			[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/ 2>/dev/null
			"$f" -max_total_time="${FUZZ_SECONDS:-20}" -rss_limit_mb=2048 -print_final_stats=0 \
				"$work" >/tmp/ravpn-$name.log 2>&1
			rc=$?
			[ $rc -eq 0 ] || tail -30 /tmp/ravpn-$name.log
			rm -rf "$work"
			record "fuzz/$name" $rc
		done
	else
		cat /tmp/ravpn-fuzz-build.log | tail -30
		record "fuzz/build" 1
	fi
fi

# ---- interop (network namespaces, real peers; needs root) ----
# Each scenario builds its own lab (tests/lab/lib.sh) and runs with the
# interpreter of its shebang line.  Exit 77 means "skipped" (no root).
# INTEROP=PATTERN runs only the scenarios whose name matches.
if group interop; then
	skipped=0
	for s in $(ls tests/interop/*.sh 2>/dev/null | sort); do
		name=$(basename "$s" .sh)
		case $name in ${INTEROP:-*}) ;; *) continue ;; esac
		case $(head -n 1 "$s") in *bash*) interp=bash ;; *) interp=sh ;; esac
		timeout 600 $interp "$s" >/tmp/ravpn-interop-$name.log 2>&1
		rc=$?
		if [ $rc -eq 77 ]; then
			echo "skip interop/$name ($(tail -n 1 /tmp/ravpn-interop-$name.log))"
			skipped=$((skipped + 1))
			continue
		fi
		[ $rc -eq 0 ] || tail -80 /tmp/ravpn-interop-$name.log
		record "interop/$name" $rc
	done
	[ "$skipped" = 0 ] || echo "$skipped interop scenario(s) skipped"
fi

echo
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
