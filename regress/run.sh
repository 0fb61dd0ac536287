#!/bin/sh
# regress/run.sh: run every test and print one closing line
#   N passed, N failed, N skipped
#
# Environment: OBJ = build directory (binaries), SRC = source directory.
# TESTS = space-separated names to run only some (unit module names such
# as "buf", or integration script names such as "keygen-interop").
#
# Layers: the lint, each unit test program regress/unittests/<m>/test_<m>,
# then each integration script regress/*.sh (which use regress/lib/).

set -u
: "${OBJ:?set OBJ to the build directory}"
: "${SRC:?set SRC to the source directory}"
export OBJ SRC

passed=0
failed=0
skipped=0
failures=""
TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/keel-regress.XXXXXX") || exit 1
export TMPROOT
trap 'rm -rf "$TMPROOT"' EXIT INT TERM

want() {
	[ -z "${TESTS:-}" ] && return 0
	for t in $TESTS; do
		[ "$t" = "$1" ] && return 0
	done
	return 1
}

note_fail() {
	failed=$((failed + 1))
	failures="$failures $1"
}

# Lint: one test.
if want lint; then
	if sh "$SRC/regress/lint.sh" "$SRC"; then
		passed=$((passed + 1))
	else
		note_fail lint
	fi
fi

# Unit tests: each program prints "<prog>: N passed, N failed".
for prog in "$OBJ"/regress/unittests/*/test_*; do
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	name=${name#test_}
	want "$name" || continue
	out="$TMPROOT/unit-$name.out"
	echo "=== unit $name"
	timeout 1200 "$prog" -d "$SRC/regress/vectors" >"$out" 2>&1
	rc=$?
	cat "$out"
	line=$(grep -E "^test_$name: [0-9]+ passed, [0-9]+ failed" "$out" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	passed=$((passed + ${p:-0}))
	if [ "${f:-0}" -gt 0 ]; then
		failed=$((failed + f))
		failures="$failures unit:$name"
	elif [ $rc -ne 0 ]; then
		note_fail "unit:$name(exit $rc)"
	fi
done

# Integration scripts: each reports results through regress/lib/test-lib.sh.
for script in "$SRC"/regress/*.sh; do
	name=$(basename "$script" .sh)
	case "$name" in run|lint) continue ;; esac
	want "$name" || continue
	results="$TMPROOT/results-$name"
	: >"$results"
	echo "=== integration $name"
	RESULTS="$results" TESTNAME="$name" timeout 1800 sh "$script"
	rc=$?
	p=$(grep -c '^pass ' "$results")
	f=$(grep -c '^fail ' "$results")
	s=$(grep -c '^skip ' "$results")
	passed=$((passed + p))
	skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		failed=$((failed + f))
		failures="$failures $(grep '^fail ' "$results" | awk -v n="$name" '{printf " %s:%s", n, $2}')"
	elif [ $rc -ne 0 ]; then
		note_fail "$name(exit $rc)"
	elif [ $((p + s)) -eq 0 ]; then
		note_fail "$name(no results)"
	fi
done

echo
if [ -n "$failures" ]; then
	echo "failures:$failures"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
