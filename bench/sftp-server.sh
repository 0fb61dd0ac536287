#!/bin/sh
# bench/sftp-server.sh: our sftp-server and OpenSSH's side by side.
#
#   OBJ=/path/to/build sh bench/sftp-server.sh [SIZE_MIB] [ROUNDS]
#
# OpenSSH's sftp client (sftp -D, no ssh in between) downloads and
# uploads one file of SIZE_MIB MiB (default 1024) through each server,
# ROUNDS times (default 3), alternating servers.  Prints for each
# direction the median wall-clock time, the median server CPU time
# (user + system) and the median peak RSS of each server, and ours
# relative to OpenSSH's (a ratio below 1.00 means ours is faster or
# smaller).  Not a test: nothing here passes or fails.

set -u
: "${OBJ:?set OBJ to the build directory}"
OURS="$OBJ/sftp-server"
THEIRS=/usr/lib/openssh/sftp-server
SFTP=/usr/bin/sftp
SIZE=${1:-1024}
ROUNDS=${2:-3}

case $ROUNDS in
''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac

for p in "$OURS" "$THEIRS" "$SFTP" /usr/bin/time; do
	if [ ! -x "$p" ]; then
		echo "bench: $p missing" >&2
		exit 1
	fi
done

W=$(mktemp -d "${TMPDIR:-/tmp}/sftp-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT

# median FILE COLUMN: the median of that column of FILE.
median() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2)
			print v[(NR + 1) / 2]
		else
			print (v[NR / 2] + v[NR / 2 + 1]) / 2
	}'
}

head -c "$((SIZE * 1048576))" /dev/urandom >"$W/src"

# run SERVER DIRECTION: one transfer; prints "wall cpu rss" (seconds,
# seconds, KiB).
run() {
	if [ "$2" = get ]; then
		cmd="get $W/src $W/dst"
	else
		cmd="put $W/src $W/dst"
	fi
	printf '%s\n' "$cmd" >"$W/batch"
	rm -f "$W/dst" "$W/cpu"
	start=$(date +%s.%N)
	"$SFTP" -q -b "$W/batch" \
	    -D "/usr/bin/time -o $W/cpu -f %U+%S+%M $1" >/dev/null 2>&1
	end=$(date +%s.%N)
	if ! cmp -s "$W/src" "$W/dst"; then
		echo "bench: $1 $2: copy differs" >&2
		exit 1
	fi
	echo "$start $end $(cat "$W/cpu")" |
	    awk '{ split($3, c, "+")
		printf "%.3f %.3f %d\n", $2 - $1, c[1] + c[2], c[3] }'
}

for dir in get put; do
	: >"$W/ours.$dir"
	: >"$W/theirs.$dir"
	i=0
	while [ "$i" -lt "$ROUNDS" ]; do
		run "$THEIRS" "$dir" >>"$W/theirs.$dir"
		run "$OURS" "$dir" >>"$W/ours.$dir"
		i=$((i + 1))
	done
	ow=$(median "$W/ours.$dir" 1)
	tw=$(median "$W/theirs.$dir" 1)
	oc=$(median "$W/ours.$dir" 2)
	tc=$(median "$W/theirs.$dir" 2)
	om=$(median "$W/ours.$dir" 3)
	tm=$(median "$W/theirs.$dir" 3)
	awk -v d="$dir" -v s="$SIZE" -v ow="$ow" -v tw="$tw" -v oc="$oc" \
	    -v tc="$tc" -v om="$om" -v tm="$tm" 'BEGIN {
		printf "%s %d MiB: wall ours %.3fs openssh %.3fs ratio %.2f;",
		    d, s, ow, tw, (tw > 0 ? ow / tw : 0)
		printf " server cpu ours %.3fs openssh %.3fs ratio %.2f;",
		    oc, tc, (tc > 0 ? oc / tc : 0)
		printf " server rss ours %.1fM openssh %.1fM ratio %.2f\n",
		    om / 1024, tm / 1024, (tm > 0 ? om / tm : 0)
	}'
done
