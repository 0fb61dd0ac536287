#!/bin/sh
# bench/ssh-latency.sh: how long `ssh host true` takes, ours and OpenSSH's.
#
#   OBJ=/path/to/build sh bench/ssh-latency.sh [ROUNDS] [KEX]
#
# Our ssh to our sshd and OpenSSH's ssh to OpenSSH's sshd, both on
# 127.0.0.1 with an ed25519 host key and an ed25519 user key: ROUNDS
# (default 21) logins running `true`, alternating.  Prints the median
# wall-clock time of each and ours relative to OpenSSH's (below 1.00:
# ours is faster).  KEX, if given, is passed as -o KexAlgorithms=KEX to
# both clients.  Not a test: nothing here passes or fails.

ROUNDS=${1:-21}
KEX=${2:-}
case $ROUNDS in
''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac

. "$(dirname "$0")/ssh-lib.sh"
bl_init
bl_start

# one WHO: the wall time of one login, in seconds.
one() {
	start=$(date +%s.%N)
	if [ -n "$KEX" ]; then
		bl_ssh "$1" true -o KexAlgorithms="$KEX" </dev/null \
		    2>"$W/err"
	else
		bl_ssh "$1" true </dev/null 2>"$W/err"
	fi
	rc=$?
	end=$(date +%s.%N)
	if [ $rc != 0 ]; then
		echo "bench: $1: ssh true failed ($rc)" >&2
		tail -n 3 "$W/err" >&2
		exit 1
	fi
	echo "$start $end" | awk '{ printf "%.4f\n", $2 - $1 }'
}

: >"$W/ours.t"
: >"$W/theirs.t"
i=0
while [ $i -lt "$ROUNDS" ]; do
	one theirs >>"$W/theirs.t" || exit 1
	one ours >>"$W/ours.t" || exit 1
	i=$((i + 1))
done
o=$(median "$W/ours.t" 1)
t=$(median "$W/theirs.t" 1)
printf 'ssh true%s: median of %d: ours %.1f ms, openssh %.1f ms, ratio %s\n' \
    "${KEX:+ ($KEX)}" "$ROUNDS" "$(echo "$o" | awk '{ print $1 * 1000 }')" \
    "$(echo "$t" | awk '{ print $1 * 1000 }')" "$(ratio "$o" "$t")"
