#!/bin/sh
# bench/scp.sh: our scp and OpenSSH's side by side.
#
#   OBJ=/path/to/build sh bench/scp.sh [SIZE_MIB] [ROUNDS]
#
# One file of SIZE_MIB MiB (default 1024) is uploaded and downloaded
# ROUNDS times (default 3), alternating programs, in both modes, with no
# ssh in between: scp's -S program is a stand-in that runs the far end
# locally over the same pipes ssh would give it.
#   -O (legacy): our scp at both ends against OpenSSH's at both ends;
#   -s (SFTP):   our scp and OpenSSH's, both against OpenSSH's
#                sftp-server (the same server for both).
# Prints for each case the median wall-clock time and the median CPU
# time (user + system) of the client and what it waits for (the far end),
# and ours relative to OpenSSH's (a ratio below 1.00 means ours is
# faster).  Not a test: nothing here
# passes or fails.

set -u
: "${OBJ:?set OBJ to the build directory}"
OURS="$OBJ/scp"
THEIRS=/usr/bin/scp
SERVER=/usr/lib/openssh/sftp-server
SIZE=${1:-1024}
ROUNDS=${2:-3}

case $ROUNDS in
''|*[!0-9]*|0) echo "bench: ROUNDS must be a positive number" >&2; exit 1 ;;
esac

for p in "$OURS" "$THEIRS" "$SERVER" /usr/bin/time; do
	if [ ! -x "$p" ]; then
		echo "bench: $p missing" >&2
		exit 1
	fi
done

W=$(mktemp -d "${TMPDIR:-/tmp}/scp-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
mkdir "$W/ours" "$W/theirs"
ln -s "$OURS" "$W/ours/scp"
ln -s "$THEIRS" "$W/theirs/scp"

# The ssh stand-in: "-s ... sftp" runs the server, anything else is the
# remote command, run with $FAR_END's scp first in PATH.
cat >"$W/rsh" <<EOF
#!/bin/sh
sub=0
while [ \$# -gt 0 ]; do
	case "\$1" in
	--) shift; break ;;
	-s) sub=1 ;;
	esac
	shift
done
shift
[ \$sub = 1 ] && exec "$SERVER"
PATH="\$FAR_END:\$PATH" exec sh -c "exec \$*"
EOF
chmod 755 "$W/rsh"

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

# run WHO MODE DIRECTION: one transfer; prints "wall cpu" in seconds.
run() {
	if [ "$3" = up ]; then
		from="$W/src" to="h:$W/dst"
	else
		from="h:$W/src" to="$W/dst"
	fi
	rm -f "$W/dst" "$W/cpu"
	start=$(date +%s.%N)
	FAR_END="$W/$1" /usr/bin/time -o "$W/cpu" -f %U+%S \
	    "$W/$1/scp" "$2" -q -S "$W/rsh" "$from" "$to" >/dev/null 2>&1
	end=$(date +%s.%N)
	if ! cmp -s "$W/src" "$W/dst"; then
		echo "bench: $1 $2 $3: copy differs" >&2
		exit 1
	fi
	echo "$start $end $(cat "$W/cpu")" |
	    awk '{ split($3, c, "+")
		printf "%.3f %.3f\n", $2 - $1, c[1] + c[2] }'
}

for mode in -O -s; do
	for dir in up down; do
		: >"$W/r.ours"
		: >"$W/r.theirs"
		i=0
		while [ "$i" -lt "$ROUNDS" ]; do
			run theirs "$mode" "$dir" >>"$W/r.theirs"
			run ours "$mode" "$dir" >>"$W/r.ours"
			i=$((i + 1))
		done
		ow=$(median "$W/r.ours" 1)
		tw=$(median "$W/r.theirs" 1)
		oc=$(median "$W/r.ours" 2)
		tc=$(median "$W/r.theirs" 2)
		awk -v m="$mode" -v d="$dir" -v s="$SIZE" -v ow="$ow" \
		    -v tw="$tw" -v oc="$oc" -v tc="$tc" 'BEGIN {
			printf "%s %s %d MiB: wall ours %.3fs openssh %.3fs " \
			    "ratio %.2f;", m, d, s, ow, tw,
			    (tw > 0 ? ow / tw : 0)
			printf " cpu ours %.3fs openssh %.3fs ratio %.2f\n",
			    oc, tc, (tc > 0 ? oc / tc : 0)
		}'
	done
done
