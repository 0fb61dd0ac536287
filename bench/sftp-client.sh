#!/bin/sh
# bench/sftp-client.sh: our sftp client and OpenSSH's side by side.
#
#   OBJ=/path/to/build sh bench/sftp-client.sh [SIZE_MIB] [ROUNDS] [SERVER]
#
# Each client downloads and uploads one file of SIZE_MIB MiB (default
# 1024) through the same server started with -D (no ssh in between;
# SERVER is "openssh" (default) or "ours"), ROUNDS times (default 3),
# the two clients alternating.  Prints for each direction the median
# wall-clock time, client CPU time (user + system) and client peak RSS
# of each client, and ours relative to OpenSSH's (below 1.00: ours is
# faster / smaller).  A last pair of lines does the same for the pairs:
# our client with our server against OpenSSH's client with theirs.
# Not a test: nothing here passes or fails.

set -u
: "${OBJ:?set OBJ to the build directory}"
OURS="$OBJ/sftp"
THEIRS=/usr/bin/sftp
OUR_SERVER="$OBJ/sftp-server"
THEIR_SERVER=/usr/lib/openssh/sftp-server
SIZE=${1:-1024}
ROUNDS=${2:-3}
case ${3:-openssh} in
openssh) SERVER=$THEIR_SERVER ;;
ours) SERVER=$OUR_SERVER ;;
*) echo "bench: SERVER is openssh or ours" >&2; exit 1 ;;
esac

case $ROUNDS in
''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac
for p in "$OURS" "$THEIRS" "$OUR_SERVER" "$THEIR_SERVER" /usr/bin/time; do
	if [ ! -x "$p" ]; then
		echo "bench: $p missing" >&2
		exit 1
	fi
done

W=$(mktemp -d "${TMPDIR:-/tmp}/sftp-client-bench.XXXXXX") || exit 1
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

# run CLIENT SERVER DIRECTION: one transfer; prints "wall cpu rss_kb".
run() {
	if [ "$3" = get ]; then
		cmd="get $W/src $W/dst"
	else
		cmd="put $W/src $W/dst"
	fi
	printf '%s\n' "$cmd" >"$W/batch"
	rm -f "$W/dst" "$W/stat"
	start=$(date +%s.%N)
	/usr/bin/time -o "$W/stat" -f '%U+%S %M' "$1" -q -b "$W/batch" \
	    -D "$2" >/dev/null 2>&1
	end=$(date +%s.%N)
	if ! cmp -s "$W/src" "$W/dst"; then
		echo "bench: $1 $3: copy differs" >&2
		exit 1
	fi
	echo "$start $end $(cat "$W/stat")" | awk '{ split($3, c, "+");
	    printf "%.3f %.3f %d\n", $2 - $1, c[1] + c[2], $4 }'
}

# report LABEL OURS-FILE THEIRS-FILE
report() {
	ow=$(median "$2" 1)
	tw=$(median "$3" 1)
	oc=$(median "$2" 2)
	tc=$(median "$3" 2)
	om=$(median "$2" 3)
	tm=$(median "$3" 3)
	awk -v l="$1" -v ow="$ow" -v tw="$tw" -v oc="$oc" -v tc="$tc" \
	    -v om="$om" -v tm="$tm" 'BEGIN {
		printf "%s: wall ours %.3fs openssh %.3fs ratio %.2f;", l,
		    ow, tw, (tw > 0 ? ow / tw : 0)
		printf " client cpu %.3fs / %.3fs ratio %.2f;", oc, tc,
		    (tc > 0 ? oc / tc : 0)
		printf " client rss %d / %d KiB ratio %.2f\n", om, tm,
		    (tm > 0 ? om / tm : 0)
	}'
}

for dir in get put; do
	: >"$W/ours.$dir"
	: >"$W/theirs.$dir"
	: >"$W/pair-ours.$dir"
	: >"$W/pair-theirs.$dir"
	i=0
	while [ "$i" -lt "$ROUNDS" ]; do
		run "$THEIRS" "$SERVER" "$dir" >>"$W/theirs.$dir"
		run "$OURS" "$SERVER" "$dir" >>"$W/ours.$dir"
		run "$THEIRS" "$THEIR_SERVER" "$dir" >>"$W/pair-theirs.$dir"
		run "$OURS" "$OUR_SERVER" "$dir" >>"$W/pair-ours.$dir"
		i=$((i + 1))
	done
	report "$dir $SIZE MiB, same server" "$W/ours.$dir" "$W/theirs.$dir"
	report "$dir $SIZE MiB, pairs" "$W/pair-ours.$dir" \
	    "$W/pair-theirs.$dir"
done
