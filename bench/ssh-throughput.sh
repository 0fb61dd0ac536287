#!/bin/sh
# bench/ssh-throughput.sh: bulk data through ssh, ours and OpenSSH's.
#
#   OBJ=/path/to/build sh bench/ssh-throughput.sh [SIZE_MIB] [ROUNDS] [CIPHERS]
#
# For each cipher (default: every one both sides offer, comma- or
# space-separated to choose), SIZE_MIB MiB (default 512) of zeros go up
# (`head -c N /dev/zero | ssh -c X host 'cat >/dev/null'`) and down
# (`ssh -c X host 'head -c N /dev/zero' >/dev/null`): our ssh through our
# sshd against OpenSSH's ssh through OpenSSH's sshd, ROUNDS times
# (default 3) alternating.  The MAC is each side's default for the
# cipher.  Prints the median wall-clock time and rate of each and ours
# relative to OpenSSH's (time ratio: below 1.00, ours is faster).
# Not a test: nothing here passes or fails.

SIZE=${1:-512}
ROUNDS=${2:-3}
CIPHERS=${3:-"chacha20-poly1305@openssh.com aes128-ctr aes192-ctr aes256-ctr
aes128-gcm@openssh.com aes256-gcm@openssh.com"}
case $ROUNDS in
''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac
case $SIZE in
''|*[!0-9]*|0) echo "bench: SIZE_MIB must be a positive number" >&2; exit 1 ;;
esac
CIPHERS=$(echo "$CIPHERS" | tr ',' ' ')

. "$(dirname "$0")/ssh-lib.sh"
bl_init
bl_start
BYTES=$((SIZE * 1048576))

# one WHO DIR CIPHER: the wall time of one transfer, in seconds.
one() {
	start=$(date +%s.%N)
	if [ "$2" = up ]; then
		head -c "$BYTES" /dev/zero |
		    bl_ssh "$1" 'cat >/dev/null' -c "$3" 2>"$W/err"
		rc=$?
		got=$BYTES
	else
		got=$(bl_ssh "$1" "head -c $BYTES /dev/zero" -c "$3" \
		    </dev/null 2>"$W/err" | wc -c)
		rc=$?
	fi
	end=$(date +%s.%N)
	if [ $rc != 0 ] || [ "$got" != "$BYTES" ]; then
		echo "bench: $1 $2 $3: failed (exit $rc, $got bytes):" >&2
		tail -n 3 "$W/err" >&2
		return 1
	fi
	echo "$start $end" | awk '{ printf "%.3f\n", $2 - $1 }'
}

for c in $CIPHERS; do
	for dir in up down; do
		: >"$W/ours.t"
		: >"$W/theirs.t"
		i=0
		while [ $i -lt "$ROUNDS" ]; do
			one theirs $dir "$c" >>"$W/theirs.t" || break
			one ours $dir "$c" >>"$W/ours.t" || break
			i=$((i + 1))
		done
		if [ $i -lt "$ROUNDS" ]; then
			echo "$c $dir: skipped (a transfer failed)"
			continue
		fi
		o=$(median "$W/ours.t" 1)
		t=$(median "$W/theirs.t" 1)
		awk -v c="$c" -v d="$dir" -v s="$SIZE" -v o="$o" -v t="$t" \
		    'BEGIN {
			printf "%s %s %d MiB: ours %.2fs (%.0f MiB/s),", c, d,
			    s, o, (o > 0 ? s / o : 0)
			printf " openssh %.2fs (%.0f MiB/s), ratio %.2f\n",
			    t, (t > 0 ? s / t : 0), (t > 0 ? o / t : 0)
		}'
	done
done
